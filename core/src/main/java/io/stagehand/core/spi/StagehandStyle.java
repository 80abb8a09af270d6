package io.stagehand.core.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * The one Immutables style of the project: generated classes stay package-private behind the public
 * abstract types, builders and factories return the abstract type, and the generated code adds no
 * annotation that users' compilers would look for in vain. Collections are Guava's immutable ones
 * behind the JDK interfaces the abstract types declare (no Guava type appears in a signature): they
 * are compact and copying one into another value costs nothing, which matters when a plan holds
 * hundreds of thousands of diffs. Store modules may put it on their own packages.
 */
@Target({ElementType.PACKAGE, ElementType.TYPE})
@Retention(RetentionPolicy.CLASS)
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    overshadowImplementation = true,
    // no @org.immutables.value.Generated on generated classes: it would make javac warn in every
    // program that compiles against core without the Immutables annotations (an empty list allows all)
    allowedClasspathAnnotations = {Override.class},
    init = "*",
    defaults = @Value.Immutable(copy = false))
public @interface StagehandStyle {}
