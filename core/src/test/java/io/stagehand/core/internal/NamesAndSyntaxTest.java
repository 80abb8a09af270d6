package io.stagehand.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.InputRef;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.plan.Selector;
import org.junit.jupiter.api.Test;

class NamesAndSyntaxTest {
  @Test
  void resourceIdsFollowTheRule() {
    assertThat(ResourceId.of("keystone_1-a").name()).isEqualTo("keystone_1-a");
    assertThatThrownBy(() -> ResourceId.of("a.b")).isInstanceOf(InvalidInputException.class)
        .hasMessage("invalid resource id: character 2 is not allowed; use ASCII letters, digits, '_' and '-' "
            + "(1-200 characters)");
    assertThatThrownBy(() -> ResourceId.of(null)).hasMessage("resource id is missing");
    assertThatThrownBy(() -> InputRef.parse("a")).hasMessageContaining("write <resource>.<input>");
    assertThatThrownBy(() -> InputRef.parse("a.b.c")).hasMessageContaining("write <resource>.<input>");
    assertThatThrownBy(() -> new InputRef(ResourceId.of("a"), "x".repeat(101)))
        .hasMessageContaining("invalid input name");
    assertThatThrownBy(() -> Tag.of("t 1")).hasMessageContaining("invalid tag");
  }

  @Test
  void editsParseAndPrintInTheScenarioSyntax() {
    for (String line : new String[] {
        "create keystone1 keystone port=5000",
        "create lb haproxy cfg={\"a b\":[1,2]} name=\"x y\"",
        "set k1 ip=\"10.0.0.1\"",
        "unset k1 ip",
        "remove k1",
        "connect node1.ip -> keystone1.ip",
        "connect keystone1.ip -> haproxy.backends[]",
        "disconnect keystone1.ip -> haproxy.backends[]"}) {
      assertThat(Edit.parse(line)).hasToString(line);
    }
    Edit.Create c = (Edit.Create) Edit.parse("create db postgres password!=\"s3cret\"");
    assertThat(c.sensitive()).containsExactly("password");
    assertThat(c).hasToString("create db postgres password=(sensitive)");
    assertThat(Edit.parse("connect a.x -> b.y[]").owner()).isEqualTo(ResourceId.of("b"));
  }

  @Test
  void badEditLinesNameTheForm() {
    assertThatThrownBy(() -> Edit.parse("frobnicate x")).hasMessageContaining("its first word is not a known edit")
        .hasMessageNotContaining("frobnicate");
    assertThatThrownBy(() -> Edit.parse("create x")).hasMessageContaining("write create <id> <kind>");
    assertThatThrownBy(() -> Edit.parse("set x y")).hasMessageContaining("<input>=<json>");
    assertThatThrownBy(() -> Edit.parse("connect a.x b.y")).hasMessageContaining("write <emitter>.<input> -> <receiver>");
    assertThatThrownBy(() -> Edit.parse("create a k x=1 x=2")).hasMessageContaining("input x is given twice");
    assertThatThrownBy(() -> Edit.parse("import x")).hasMessage(
        "cannot read an import edit: write import <id> <kind> [protected] [@<location>] [+<label> ...] [<input>=<json> ...]");
    assertThatThrownBy(() -> Edit.parse("import a k x=1 x=2")).hasMessage(
        "cannot read an import edit: input x is given twice");
    assertThatThrownBy(() -> Edit.parse("forget a b")).hasMessage("cannot read a forget edit: write forget <id>");
    assertThatThrownBy(() -> Edit.parse("touch")).hasMessage("cannot read a touch edit: write touch <id>");
    assertThatThrownBy(() -> Edit.parse("protect a b")).hasMessage("cannot read a protect edit: write protect <id>");
    assertThatThrownBy(() -> Edit.parse("unprotect")).hasMessage("cannot read an unprotect edit: write unprotect <id>");
    assertThatThrownBy(() -> Edit.parse("replace a b")).hasMessage("cannot read a replace edit: write replace <id>");
    assertThatThrownBy(() -> Edit.parse("adopt")).hasMessage(
        "cannot read an adopt edit: write adopt <id> [<input>=<json> ...] [out.<name>=<json> ...]");
    assertThatThrownBy(() -> Edit.parse("adopt a x=1 x=2")).hasMessage("cannot read an adopt edit: input x is given twice");
    assertThatThrownBy(() -> Edit.parse("import a k out.ip=1 out.ip=2")).hasMessage(
        "cannot read an import edit: output ip is given twice");
    assertThatThrownBy(() -> Edit.parse("import a k out.i.p=1")).hasMessageContaining("invalid input name");
  }

  @Test
  void newEditsPrintAndParseBack() {
    for (String line : new String[] {"import vm1 vm protected @n1 +web ip=\"10.0.0.9\"", "forget vm1", "touch app",
        "protect db", "unprotect db", "create db postgres protected port=5432", "replace vm1",
        "import vm1 vm size=1 out.ip=\"10.0.0.9\" out.zone=\"a\"", "adopt db port=6432 out.host=\"10.0.0.6\""}) {
      assertThat(Edit.parse(line)).hasToString(line);
      assertThat(Edit.parse(Edit.parse(line).toString())).isEqualTo(Edit.parse(line));
    }
  }

  @Test
  void sensitiveOutputsPrintAsSensitive() {
    Edit imported = Edit.parse("import vm1 vm out.token!=\"s3cret-t0ken\"");
    assertThat(imported).hasToString("import vm1 vm out.token=(sensitive)");
    Edit adopted = Edit.parse("adopt db password!=\"hunter22\" out.key!=\"k3y-value\"");
    assertThat(adopted).hasToString("adopt db password=(sensitive) out.key=(sensitive)");
  }

  @Test
  void badOutputsAndObservationsNameTheProblem() {
    assertThatThrownBy(() -> Edit.importResource("v", "vm", java.util.Map.of()).withOutput("bad name", 1))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("invalid input name");
    Edit.Create c = Edit.create("v", "vm");
    assertThatThrownBy(() -> new Edit.Import(c, new java.util.TreeMap<>(), new java.util.TreeSet<>(java.util.Set.of("ip"))))
        .isInstanceOf(InvalidInputException.class).hasMessage("output ip of v is marked sensitive but has no value");
    java.util.Map<String, Object> withNull = new java.util.HashMap<>();
    withNull.put("size", null);
    assertThatThrownBy(() -> io.stagehand.core.drift.Observed.present(withNull))
        .isInstanceOf(InvalidInputException.class).hasMessage("input size is null; leave out what could not be read");
    assertThatThrownBy(() -> io.stagehand.core.drift.Observed.present(java.util.Map.of("a b", 1)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("invalid input name");
    assertThatThrownBy(() -> io.stagehand.core.drift.Observed.present(java.util.Map.of(), java.util.Map.of("ip", 1))
        .withSensitiveOutputs(java.util.Set.of("key")))
        .isInstanceOf(InvalidInputException.class).hasMessage("output key is marked sensitive but was not read");
  }

  @Test
  void kindsWithBracketsOrQuotesPrintAndParseBack() {
    for (String kind : new String[] {"]", "[x", "a{b", "\"q", "aws::s3[]"}) {
      Edit.Create c = Edit.create("x", kind, java.util.Map.of("y", 1));
      assertThat(Edit.parse(c.toString())).isEqualTo(c);
    }
    assertThat(Edit.parse("create x k cfg={\"a b\":[1, 2]} n=\"x y\"").toString())
        .isEqualTo("create x k cfg={\"a b\":[1,2]} n=\"x y\"");
  }

  @Test
  void selectionsChain() {
    Selection s = Selection.only(Selector.label("web")).exclude(Selector.id("w3")).exclude(Selector.id("w4"));
    assertThat(s.only()).containsExactly(Selector.label("web"));
    assertThat(s.exclude()).containsExactlyInAnyOrder(Selector.id("w3"), Selector.id("w4"));
    assertThat(Selection.all().exclude(Selector.id("a")).only()).isEmpty();
    assertThat(Selection.all().isAll()).isTrue();
  }

  @Test
  void commitPositionsParseBothForms() {
    assertThat(CommitPosition.parse("42")).isEqualTo(CommitPosition.global(42));
    assertThat(CommitPosition.parse("k1@3")).isEqualTo(CommitPosition.of(ResourceId.of("k1"), 3));
    assertThat(CommitPosition.of(ResourceId.of("k1"), 3)).hasToString("k1@3");
    assertThatThrownBy(() -> CommitPosition.parse("k1@x")).hasMessageContaining("<resource>@<version>");
    assertThatThrownBy(() -> CommitPosition.global(0)).hasMessageContaining("counts from 1");
  }
}
