package dev.tandem.android;

import dev.tandem.android.internal.AndroidSqlDriver;
import dev.tandem.internal.db.SqlDriver;
import dev.tandem.internal.db.SqlDriverContract;
import java.io.File;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;

/**
 * sdk-core's store contract on android.database.sqlite (Robolectric's native SQLite mode), on
 * Android 14 (read transactions serialized with the writer) and Android 15 (read-only transactions
 * beside it).
 */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = {34, 35})
public class AndroidSqlDriverContractTest extends SqlDriverContract {
  @Override
  protected SqlDriver open(File file, boolean fullSync) {
    return new AndroidSqlDriver(file, fullSync);
  }
}
