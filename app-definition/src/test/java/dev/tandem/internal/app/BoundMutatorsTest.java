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
}
