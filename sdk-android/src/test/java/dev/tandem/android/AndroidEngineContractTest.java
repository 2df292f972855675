package dev.tandem.android;

import dev.tandem.android.internal.AndroidSqlDriver;
import dev.tandem.internal.EngineContract;
import dev.tandem.internal.db.SqlDriver;
import java.io.File;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;

/** sdk-core's engine contract (mutations, pull apply, rebase, typed tables) on Android's SQLite. */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = {34, 35})
public class AndroidEngineContractTest extends EngineContract {
  @Override
  protected SqlDriver open(File file) {
    return new AndroidSqlDriver(file, false);
  }
}
