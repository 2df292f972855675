package dev.tandem.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.robolectric.Shadows.shadowOf;

import android.app.Activity;
import android.content.Context;
import android.net.ConnectivityManager;
import android.net.Network;
import android.os.Looper;
import dev.tandem.SyncStatus;
import dev.tandem.Synced;
import dev.tandem.Tandem;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.Robolectric;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.RuntimeEnvironment;
import org.robolectric.android.controller.ActivityController;
import org.robolectric.annotation.Config;
import org.robolectric.shadows.ShadowNetwork;

/**
 * The Android entry point on the real framework (Robolectric): the database in the app's folder
 * survives a restart, a regained network syncs at once, the lifecycle pauses and resumes pulling,
 * and results arrive on the main thread. Sync time runs on a TestScheduler: no sleeps.
 */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = 34)
public class TandemAndroidTest {
  /** The args of the test's one mutator. */
  @Synced
  public static final class Note {
    public String id;
    public String text;

    public Note() {}

    Note(String id, String text) {
      this.id = id;
      this.text = text;
    }
  }

  private static final String NOTHING_NEW =
      "{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[]}";
  private final TestScheduler scheduler = new TestScheduler();
  private final MockWebServer server = new MockWebServer();
  private final Deque<MockResponse> pushes = new ConcurrentLinkedDeque<>();
  private final Deque<MockResponse> pulls = new ConcurrentLinkedDeque<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private Context context;
  private ConnectivityManager connectivity;
  private Tandem tandem;

  @Before
  public void setUp() throws Exception {
    context = RuntimeEnvironment.getApplication();
    connectivity = (ConnectivityManager) context.getSystemService(Context.CONNECTIVITY_SERVICE);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            synchronized (requests) {
              requests.add(request);
            }
            boolean push = request.getUrl().encodedPath().endsWith("/push");
            MockResponse response = (push ? pushes : pulls).poll();
            if (response != null) return response;
            // Unscripted: a push fails; a pull answers "nothing new" (cookie 1, no changes).
            return push
                ? new MockResponse.Builder().code(503).body("{}").build()
                : new MockResponse.Builder().body(NOTHING_NEW).build();
          }
        });
    server.start();
  }

  @After
  public void tearDown() {
    if (tandem != null) tandem.close();
    server.close();
  }

  private Tandem open() {
    return TandemAndroid.builder(context, "notes.db")
        .serverUrl(server.url("/api").toString())
        .pokeUrl(null)
        .pullInterval(60_000)
        .scheduler(scheduler)
        .queryScheduler(Schedulers.trampoline()) // Live queries run where the commit happens.
        .mutator("putNote", Note.class, (tx, note) -> tx.put("note/" + note.id, note))
        .build();
  }

  private void offline() {
    shadowOf(connectivity).setActiveNetworkInfo(null);
  }

  /** What the system does when a network comes up: every registered callback hears of it. */
  private void networkComesBack() {
    Network network = ShadowNetwork.newInstance(100);
    List<ConnectivityManager.NetworkCallback> callbacks =
        new ArrayList<>(shadowOf(connectivity).getNetworkCallbacks());
    assertFalse("Tandem registered a network callback", callbacks.isEmpty());
    for (ConnectivityManager.NetworkCallback callback : callbacks) callback.onAvailable(network);
  }

  private List<String> paths() {
    List<String> paths = new ArrayList<>();
    synchronized (requests) {
      for (RecordedRequest request : requests) paths.add(request.getUrl().encodedPath());
    }
    return paths;
  }

  private String pullResponse(int cookie, long confirmed) {
    return "{\"cookie\":"
        + cookie
        + ",\"lastMutationIDChanges\":{\""
        + tandem.clientID()
        + "\":"
        + confirmed
        + "},\"patch\":[]}";
  }

  @Test
  public void theDatabaseLivesInTheAppsDatabaseFolder() {
    offline();
    tandem = open();
    File expected = context.getDatabasePath("notes.db");
    assertTrue(expected.getPath(), expected.exists());
  }

  @Test
  public void anOfflineMutationSurvivesARestartAndIsPushedOnceTheNetworkIsBack() throws Exception {
    offline();
    tandem = open();
    scheduler.triggerActions();
    tandem.mutate("putNote", new Note("1", "written on the train"));
    scheduler.advanceTimeBy(5, TimeUnit.MINUTES);
    assertEquals("nothing is sent offline", 0, server.getRequestCount());
    String clientID = tandem.clientID();
    tandem.close();

    tandem = open(); // The app restarts, still offline.
    scheduler.triggerActions();
    assertEquals(clientID, tandem.clientID());
    assertEquals(1, tandem.pendingMutations().size());
    assertEquals(
        "{\"id\":\"1\",\"text\":\"written on the train\"}",
        tandem.query(tx -> tx.getJson("note/1")));

    pushes.add(new MockResponse.Builder().body("{}").build());
    pulls.add(new MockResponse.Builder().body(pullResponse(1, 1)).build());
    networkComesBack();
    scheduler.triggerActions();

    assertEquals(1, count(paths(), "/api/push"));
    RecordedRequest push = firstPush();
    assertTrue(push.getBody().utf8(), push.getBody().utf8().contains("written on the train"));
    assertEquals(0, tandem.pendingMutations().size());
    scheduler.advanceTimeBy(5, TimeUnit.MINUTES);
    assertEquals("pushed exactly once", 1, count(paths(), "/api/push"));
  }

  @Test
  public void aRegainedNetworkPushesAndPullsAtOnce() throws Exception {
    offline();
    tandem = open();
    scheduler.triggerActions();
    assertFalse(status().online());
    tandem.mutate("putNote", new Note("2", "hello"));
    scheduler.advanceTimeBy(1, TimeUnit.SECONDS);
    assertEquals(0, server.getRequestCount());

    pushes.add(new MockResponse.Builder().body("{}").build());
    pulls.add(new MockResponse.Builder().body(pullResponse(1, 1)).build());
    networkComesBack();
    scheduler.triggerActions(); // No time passes: no backoff, no interval.

    assertEquals(1, count(paths(), "/api/push"));
    assertTrue(count(paths(), "/api/pull") >= 1);
    assertEquals(0, tandem.pendingMutations().size());
  }

  @Test
  public void theBackgroundPausesPollingAndTheForegroundPullsAtOnce() throws Exception {
    pulls.add(
        new MockResponse.Builder()
            .body("{\"cookie\":1,\"lastMutationIDChanges\":{},\"patch\":[]}")
            .build());
    tandem = open();
    scheduler.triggerActions();
    ActivityController<Activity> activity = Robolectric.buildActivity(Activity.class).setup();
    scheduler.triggerActions();
    int pullsBefore = count(paths(), "/api/pull");

    activity.pause().stop();
    shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(700));
    scheduler.advanceTimeBy(10, TimeUnit.MINUTES);
    assertEquals("no interval pulls in the background", pullsBefore, count(paths(), "/api/pull"));

    pulls.add(
        new MockResponse.Builder()
            .body("{\"cookie\":2,\"lastMutationIDChanges\":{},\"patch\":[]}")
            .build());
    activity.start().resume();
    scheduler.triggerActions();
    assertEquals("a pull on return", pullsBefore + 1, count(paths(), "/api/pull"));
  }

  @Test
  public void aRotationIsNotATripToTheBackground() throws Exception {
    tandem = open();
    scheduler.triggerActions();
    ActivityController<Activity> first = Robolectric.buildActivity(Activity.class).setup();
    first.pause().stop();
    shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(100));
    Robolectric.buildActivity(Activity.class).setup(); // The new activity within 700 ms.
    shadowOf(Looper.getMainLooper()).idleFor(Duration.ofSeconds(2));
    int pullsBefore = count(paths(), "/api/pull");
    scheduler.advanceTimeBy(60, TimeUnit.SECONDS);
    assertEquals("interval pulls go on", pullsBefore + 1, count(paths(), "/api/pull"));
  }

  @Test
  public void anInstanceBuiltAfterAnActivityStartedStillGoesToTheBackground() throws Exception {
    ActivityController<Activity> activity = Robolectric.buildActivity(Activity.class).setup();
    tandem = open(); // Built lazily, with the activity already on screen.
    scheduler.triggerActions();
    int pullsBefore = count(paths(), "/api/pull");

    activity.pause().stop();
    shadowOf(Looper.getMainLooper()).idleFor(Duration.ofMillis(700));
    scheduler.advanceTimeBy(10, TimeUnit.MINUTES);
    assertEquals("no interval pulls in the background", pullsBefore, count(paths(), "/api/pull"));
  }

  /**
   * Robolectric runs tests on the main thread, so what shows delivery is the main looper's queue.
   */
  @Test
  public void resultsArePostedToTheMainLooper() throws Exception {
    offline();
    tandem = open();
    List<String> values = new ArrayList<>();
    tandem
        .watch(tx -> String.valueOf(tx.getJson("note/3")))
        .subscribe(
            value -> {
              values.add(value);
            });
    tandem.mutate("putNote", new Note("3", "main"));
    assertEquals("nothing before the main looper runs", 0, values.size());
    shadowOf(Looper.getMainLooper()).idle();
    assertEquals(2, values.size());
    assertEquals("null", values.get(0));
    assertEquals("{\"id\":\"3\",\"text\":\"main\"}", values.get(1));
  }

  @Test
  public void closingUnregistersTheCallbacks() {
    offline();
    tandem = open();
    assertEquals(1, shadowOf(connectivity).getNetworkCallbacks().size());
    tandem.close();
    tandem = null;
    assertTrue(shadowOf(connectivity).getNetworkCallbacks().isEmpty());
  }

  /** The current status: it is delivered on the main thread, so run the main looper for it. */
  private SyncStatus status() {
    List<SyncStatus> seen = new ArrayList<>();
    tandem.status().take(1).subscribe(seen::add);
    shadowOf(Looper.getMainLooper()).idle();
    assertEquals(1, seen.size());
    return seen.get(0);
  }

  private RecordedRequest firstPush() {
    synchronized (requests) {
      for (RecordedRequest request : requests) {
        if (request.getUrl().encodedPath().endsWith("/push")) return request;
      }
    }
    throw new AssertionError("no push");
  }

  private static int count(List<String> paths, String path) {
    int n = 0;
    for (String p : paths) if (p.equals(path)) n++;
    return n;
  }
}
