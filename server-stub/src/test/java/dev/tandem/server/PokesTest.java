package dev.tandem.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which streams a poke reaches: its fan-out's groups, while each is unclaimed or its user's. */
class PokesTest {
  final Pokes pokes = new Pokes();
  final List<String> heard = new ArrayList<>();

  Pokes.Subscription stream(String groupID, String userID) {
    String name = userID + "@" + groupID;
    return pokes.add(
        groupID,
        userID,
        new Pokes.StreamListener() {
          @Override
          public void poked() {
            heard.add(name);
          }

          @Override
          public void revoked() {
            heard.add(name + " revoked");
          }
        });
  }

  @Test
  void aFanOutOfSomeGroupsPokesOnlyTheirStreams() {
    stream("g1", "ann");
    stream("g2", "bob");
    stream("g3", "carol");

    pokes.poke(2, Pokes.FanOut.groups(Arrays.asList("g1", "g3")));

    Collections.sort(heard);
    assertEquals(Arrays.asList("ann@g1", "carol@g3"), heard);
  }

  @Test
  void aClaimRevokesOtherUsersStreamsOfTheGroupBeforeTheNextPoke() {
    stream("g1", "ann");
    stream("g1", "bob");

    pokes.owner("g1", "ann");
    pokes.poke(2, Pokes.FanOut.everyGroup());

    assertEquals(Arrays.asList("bob@g1 revoked", "ann@g1"), heard);
  }

  @Test
  void aClosedStreamHearsNothing() {
    stream("g1", "ann").close();

    pokes.poke(2, Pokes.FanOut.everyGroup());

    assertEquals(Collections.emptyList(), heard);
  }
}
