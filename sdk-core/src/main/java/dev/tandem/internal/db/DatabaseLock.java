package dev.tandem.internal.db;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/**
 * An exclusive lock on {@code <database>.lock}, so that one database file is open in one Tandem
 * instance at a time (one client per database). Another process holding it, or another instance in
 * this one, makes {@link #acquire} fail with a clear message.
 */
public final class DatabaseLock {
  private final RandomAccessFile file;
  private final FileLock lock;

  private DatabaseLock(RandomAccessFile file, FileLock lock) {
    this.file = file;
    this.lock = lock;
  }

  public static DatabaseLock acquire(File database) {
    File lockFile = new File(database.getAbsolutePath() + ".lock");
    File parent = lockFile.getParentFile();
    if (parent != null && !parent.isDirectory() && !parent.mkdirs()) {
      throw new IllegalStateException("cannot create the directory " + parent);
    }
    RandomAccessFile file;
    try {
      file = new RandomAccessFile(lockFile, "rw");
    } catch (IOException e) {
      throw new IllegalStateException("cannot open " + lockFile + ": " + e.getMessage(), e);
    }
    FileLock lock;
    try {
      lock = file.getChannel().tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(file);
      throw new IllegalStateException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
    if (lock == null) {
      closeQuietly(file);
      throw new IllegalStateException(
          database
              + " is already open in another Tandem instance (in this process or another);"
              + " close that one first, or use another database file");
    }
    return new DatabaseLock(file, lock);
  }

  public void release() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // Closing the file releases it too.
    }
    closeQuietly(file);
  }

  private static void closeQuietly(RandomAccessFile file) {
    try {
      file.close();
    } catch (IOException ignored) {
      // Nothing more to release.
    }
  }
}
