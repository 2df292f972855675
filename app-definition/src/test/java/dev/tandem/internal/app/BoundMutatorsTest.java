package dev.tandem.internal.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.squareup.moshi.Moshi;
import dev.tandem.Mutators;
import dev.tandem.protocol.RawJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundMutatorsTest {
  @Test
  void aVoidMutatorBindsWithAPlainMoshiAndRunsWithNullArgs() throws Exception {
    List<Object> seen = new ArrayList<>();
    Mutators mutators =
        Mutators.builder().add("reset", Void.class, (tx, none) -> seen.add("ran " + none)).build();

    BoundMutators bound = BoundMutators.bind(mutators, new Moshi.Builder().build());

    assertEquals("null", bound.encode("reset", null).toString());
    bound.run("reset", null, RawJson.NULL);
    assertEquals(List.of("ran null"), seen);
  }

  static final class Change {
    String id;
    String teamName;
  }

  @Test
  void aMapsNullEntriesAreSentAndAnObjectsUnsetFieldsAreNot() throws Exception {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Class<java.util.Map<String, Object>> row = (Class) java.util.Map.class;
    Mutators mutators =
        Mutators.builder()
            .add("setTeam", row, (tx, change) -> {})
            .add("setTeamTyped", Change.class, (tx, change) -> {})
            .build();
    BoundMutators bound = BoundMutators.bind(mutators, new Moshi.Builder().build());
    java.util.Map<String, Object> change = new java.util.LinkedHashMap<>();
    change.put("id", "bob");
    change.put("teamName", null); // Cleared on purpose, as JSON.stringify({teamName: null}) says.
    assertEquals("{\"id\":\"bob\",\"teamName\":null}", bound.encode("setTeam", change).toString());
    Change typed = new Change();
    typed.id = "bob"; // teamName unset: left out, as JSON.stringify leaves an undefined field out.
    assertEquals("{\"id\":\"bob\"}", bound.encode("setTeamTyped", typed).toString());
  }
}
