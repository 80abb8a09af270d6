package io.stagehand.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario files that do not parse are refused by line number, and line endings survive a rewrite. */
class ScenarioTest {
  private static final String SECRET = "s3cr3t-Hunter2";

  @Test
  void aCaseWithoutItsSeparatorIsRefusedByLineWithoutItsText() {
    // found by ScenarioParserFuzzPropertiesTest: IllegalArgumentException, quoting the directive
    assertThatThrownBy(() -> Scenario.parse("f.scenario", "staged\n----\nnothing staged\n\nstage " + SECRET))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("f.scenario:5: the case starting at this line has no '----' line before the file ends");
    assertThatThrownBy(() -> Scenario.parse("f.scenario", SECRET))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("f.scenario:1: ");
  }

  @Test
  void aBlankLineInsideACaseIsRefusedByLineWithoutItsText() {
    assertThatThrownBy(() -> Scenario.parse("f.scenario", "stage\ncreate a svc x=\"" + SECRET + "\"\n\n----\nok\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("f.scenario:3: blank line before '----' in the case starting at line 1");
    assertThatThrownBy(() -> Scenario.parse("f.scenario", null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void anIndentedHashLineIsACommentAndStaysOne() {
    // found by ScenarioParserFuzzPropertiesTest: " #stage" was read as the directive "#stage", which
    // a rewrite wrote back unindented, so the file written back read it as a comment
    Scenario s = Scenario.parse("f.scenario", " #stage\nstage\ncreate a svc\n----\nok\n");
    assertThat(s.cases()).hasSize(1);
    assertThat(s.cases().get(0).comments()).containsExactly(" #stage");
    assertThat(s.cases().get(0).directive()).isEqualTo("stage");
    assertThat(s.render(List.of(List.of("ok")))).isEqualTo(" #stage\nstage\ncreate a svc\n----\nok\n");
  }

  @Test
  void carriageReturnsBeforeALineEndAreLineEndings() {
    // found by ScenarioParserFuzzPropertiesTest: a stray CR before a line end stayed in the line, and a
    // rewrite (which writes LF) dropped it, so the file written back parsed differently
    Scenario lf = Scenario.parse("f.scenario", "stage\ncreate a svc\n----\nok\n\n# end\n");
    for (String text : List.of("stage\r\ncreate a svc\r\n----\r\nok\r\n\r\n# end\r\n",
        "stage\r\r\ncreate a svc\r\n----\nok\r\r\n\n# end\r")) {
      Scenario s = Scenario.parse("f.scenario", text);
      assertThat(s.cases()).isEqualTo(lf.cases());
      assertThat(s.render(List.of(List.of("ok")))).isEqualTo(lf.render(List.of(List.of("ok"))))
          .isEqualTo("stage\ncreate a svc\n----\nok\n\n# end\n");
    }
    assertThat(Scenario.parse("f.scenario", "stage\ncreate a svc x=\"a\rb\"\n----\nok\n").cases().get(0).input())
        .containsExactly("create a svc x=\"a\rb\"");
  }
}
