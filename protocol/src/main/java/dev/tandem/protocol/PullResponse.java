package dev.tandem.protocol;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A successful pull: the new cookie, the last mutation ID the server processed for each client of
 * the group that changed since the request's cookie, and the patch that brings the client view from
 * the request's cookie to the new one. Read it with {@link PullResult#read}, which also recognizes
 * error bodies. Immutable.
 */
public final class PullResponse {
  private final Cookie cookie;
  private final Map<String, Long> lastMutationIDChanges;
  private final List<PatchOperation> patch;

  public PullResponse(
      Cookie cookie, Map<String, Long> lastMutationIDChanges, List<PatchOperation> patch) {
    if (cookie == null || lastMutationIDChanges == null || patch == null) {
      throw new NullPointerException();
    }
    this.cookie = cookie;
    this.lastMutationIDChanges =
        Collections.unmodifiableMap(new LinkedHashMap<>(lastMutationIDChanges));
    this.patch = Collections.unmodifiableList(new ArrayList<>(patch));
  }

  public Cookie cookie() {
    return cookie;
  }

  /** Client ID to last processed mutation ID, for the clients that changed. Never null. */
  public Map<String, Long> lastMutationIDChanges() {
    return lastMutationIDChanges;
  }

  public List<PatchOperation> patch() {
    return patch;
  }

  /** Writes all three fields, always: {@code cookie} even when null, and empty collections. */
  public void write(JsonWriter writer) throws IOException {
    writer.beginObject();
    writer.name("cookie");
    cookie.write(writer);
    writer.name("lastMutationIDChanges").beginObject();
    for (Map.Entry<String, Long> change : lastMutationIDChanges.entrySet()) {
      writer.name(change.getKey()).value(change.getValue());
    }
    writer.endObject();
    writer.name("patch").beginArray();
    for (PatchOperation op : patch) op.write(writer);
    writer.endArray();
    writer.endObject();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PullResponse)) return false;
    PullResponse other = (PullResponse) o;
    return cookie.equals(other.cookie)
        && lastMutationIDChanges.equals(other.lastMutationIDChanges)
        && patch.equals(other.patch);
  }

  @Override
  public int hashCode() {
    return (cookie.hashCode() * 31 + lastMutationIDChanges.hashCode()) * 31 + patch.hashCode();
  }

  @Override
  public String toString() {
    return "PullResponse{cookie="
        + cookie
        + ", lastMutationIDChanges="
        + lastMutationIDChanges
        + ", patch="
        + patch.size()
        + " ops}";
  }
}
