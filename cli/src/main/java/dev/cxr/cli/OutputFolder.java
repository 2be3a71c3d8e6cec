package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import dev.cxr.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder a command writes its outputs into (train's runs/<timestamp>/, the audit's), kept
 * consistent:
 * <ul>
 *   <li>made when missing, and removed again when the command fails before writing anything there;
 *   <li>locked ({@value #LOCK}, an OS lock the system drops when a process dies) so that a second
 *       run into the same folder is refused instead of silently replacing the first;
 *   <li>temporary files of a killed run ({@code .<name>.tmp-<pid>-<n>}, {@code .cxr-write-test-<pid>-<n>}
 *       whose process is gone) are removed, with a notice;
 *   <li>an earlier run's outputs are removed before the new run starts, after telling the user, so
 *       that no mix of two runs (a new model beside an old report) can remain. Only the files the
 *       command itself writes are removed; anything else in the folder is left alone.
 * </ul>
 */
final class OutputFolder {
    /** The lock file's name in the output folder. */
    static final String LOCK = ".cxr-lock";

    /** What {@link AtomicFiles} leaves behind when its process dies mid-write; group 1 is the pid. */
    private static final Pattern TEMPORARY = Pattern.compile("^(?:\\..+\\.tmp|\\.cxr-write-test)-(\\d+)-\\d+$");

    /** A command's work in the folder; it may read back what it wrote. */
    interface Work {
        void in(Path dir) throws IOException;
    }

    private OutputFolder() {}

    /**
     * Runs {@code work} in {@code target}, made writable and locked first.
     *
     * @param readBack what the work reads back, for the message when that fails ("the report")
     * @param outputs  the names of the files the command writes there (an earlier run's are removed)
     * @param notices  receives the one-line notices (files removed, temporaries cleaned)
     */
    static void write(Path target, String readBack, List<String> outputs, Consumer<String> notices, Work work) {
        boolean created = !Files.exists(target);
        Path dir = AtomicFiles.requireWritableFolder(target);
        try (Lock ignored = lock(dir)) {
            removeStaleTemporaries(dir, notices);
            removeEarlierRun(dir, outputs, notices);
            try {
                work.in(dir);
            } catch (IOException e) {
                throw new CxrException("cannot read back " + readBack + " (" + e.getMessage() + ")", e);
            }
        } catch (RuntimeException e) {
            if (created) {
                removeIfEmpty(dir);
            }
            throw e;
        }
    }

    /**
     * The folder's lock, held until closed. The lock file stays: removing it would let a run that
     * opened it just before the removal and one that creates it anew both hold "the" lock.
     */
    private record Lock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel or the process in any case
            }
        }
    }

    private static Lock lock(Path dir) {
        Path file = dir.resolve(LOCK);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this same process (another run in this JVM)
            }
            if (lock == null) {
                channel.close();
                throw new CxrException("output folder " + dir + " is in use by another cxr run (its lock " + LOCK
                        + " is held): wait for that run to end, or choose another output folder");
            }
            return new Lock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the first failure is the one to report
                }
            }
            throw new CxrException("cannot lock output folder " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    /** Removes what a killed run's atomic writes left: temporaries whose process no longer runs. */
    static void removeStaleTemporaries(Path dir, Consumer<String> notices) {
        List<String> removed = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = TEMPORARY.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p) && !alive(m.group(1))) {
                    Files.deleteIfExists(p);
                    removed.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new CxrException("cannot clean output folder " + dir + " (" + e.getMessage() + ")", e);
        }
        if (!removed.isEmpty()) {
            notices.accept("removed " + removed.size() + " temporary file(s) of an interrupted run from " + dir + ": "
                    + String.join(", ", removed));
        }
    }

    private static boolean alive(String pid) {
        try {
            long p = Long.parseLong(pid);
            return p == ProcessHandle.current().pid()
                    || ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false; // no process has such an id
        }
    }

    /**
     * Removes the outputs of an earlier run in {@code dir}, saying which, so that no mix of two runs
     * can remain. {@code outputs} are file names or globs of them ({@code *.png}, {@code fold-*}); a
     * folder that matches (a cross-validation's fold) is removed with what is in it.
     */
    static void removeEarlierRun(Path dir, List<String> outputs, Consumer<String> notices) {
        List<PathMatcher> matchers = outputs.stream()
                .map(g -> dir.getFileSystem().getPathMatcher("glob:" + g))
                .toList();
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                Path name = p.getFileName();
                if (!name.toString().equals(LOCK)
                        && matchers.stream().anyMatch(m -> m.matches(name))
                        && (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                                || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            throw new CxrException("cannot list output folder " + dir + " (" + e.getMessage() + ")", e);
        }
        if (found.isEmpty()) {
            return;
        }
        notices.accept("output folder " + dir + " holds an earlier run's "
                + String.join(
                        ", ",
                        found.stream()
                                .map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : ""))
                                .toList())
                + ": removing them first, so that the folder holds one run only");
        for (Path p : found) {
            try (Stream<Path> walk = Files.walk(p)) {
                for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(q);
                }
            } catch (IOException e) {
                throw new CxrException(
                        "cannot remove the earlier run's " + p + " (" + e.getMessage()
                                + "): remove it or choose another output folder",
                        e);
            }
        }
    }

    /** Removes a folder this command made, when nothing but the lock is in it. */
    private static void removeIfEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.allMatch(p -> p.getFileName().toString().equals(LOCK))) {
                Files.deleteIfExists(dir.resolve(LOCK));
                Files.delete(dir);
            }
        } catch (IOException ignored) {
            // best effort: the command's own error is the one to report
        }
    }
}
