package io.stagehand.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  private static Resource db(Value password) {
    return Resource.builder().id(ResourceId.of("db")).kind("pg")
        .ownInputs(Map.of("password", password, "port", Value.of(5432)))
        .resolvedInputs(Map.of("password", password, "port", Value.of(5432)))
        .addSensitiveInputs("password").build();
  }

  @Test
  void handlerMessagesLoseTheSensitiveValuesOfEitherState() {
    Diff d = Diff.builder().resource(ResourceId.of("db")).before(db(Value.of("old-secret")))
        .after(db(Value.of("new-secret"))).build();
    assertThat(Redaction.scrub("login failed for new-secret (was \"old-secret\") on port 5432", d))
        .isEqualTo("login failed for (sensitive) (was (sensitive)) on port 5432");
  }

  @Test
  void nestedStringsAndWholeJsonAreTakenOutButShortValuesStay() {
    Value nested = Value.map(Map.of("user", Value.of("admin-user"), "pin", Value.of("12")));
    Diff d = Diff.builder().resource(ResourceId.of("db")).after(db(nested)).build();
    assertThat(Redaction.scrub("bad " + nested.toJson(), d)).isEqualTo("bad (sensitive)");
    assertThat(Redaction.scrub("user admin-user, pin 12", d)).isEqualTo("user (sensitive), pin 12");
  }

  @Test
  void textWithoutSensitiveInputsIsUnchanged() {
    Resource plain = Resource.builder().id(ResourceId.of("a")).kind("k")
        .ownInputs(Map.of("x", Value.of("visible"))).resolvedInputs(Map.of("x", Value.of("visible"))).build();
    Diff d = Diff.builder().resource(plain.id()).after(plain).build();
    assertThat(Redaction.scrub("visible", d)).isEqualTo("visible");
    assertThat(Redaction.scrub(null, d)).isNull();
  }
}
