package dev.tandem.internal.rebase;

import dev.tandem.protocol.PullResult;
import java.io.IOException;

/** Where a pull's patch comes from: streamed from the body as it is written, or parsed before. */
interface PatchSource {
  PullResult writeTo(PatchWriter patch) throws IOException;
}
