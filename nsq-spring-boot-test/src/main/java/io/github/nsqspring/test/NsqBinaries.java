package io.github.nsqspring.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the NSQ executables: {@code .nsq/bin} of the enclosing repository first (walking up from the
 * working directory), then the directory named by the {@code NSQ_BIN} environment variable, then
 * {@code PATH}. A missing executable fails with a message that says how to install it.
 */
public final class NsqBinaries {

	static final String INSTALL_HINT = "run scripts/install-nsq.sh from the repository root "
			+ "(it installs nsqd, nsqlookupd, nsq_tail and to_nsq v1.3.0 into .nsq/bin), "
			+ "or point NSQ_BIN at a directory that holds them";

	private NsqBinaries() {
	}

	/**
	 * Returns the path of the named NSQ executable.
	 * @param name {@code nsqd}, {@code nsqlookupd}, {@code nsq_tail} or {@code to_nsq}
	 * @return an executable file
	 * @throws IllegalStateException when no executable of that name is found
	 */
	public static Path find(String name) {
		return find("NSQ executable", name, candidateDirectories(), INSTALL_HINT);
	}

	/**
	 * Returns the first executable file of that name in the directories.
	 * @throws IllegalStateException naming the places looked at and the install hint when there is none
	 */
	static Path find(String description, String name, List<Path> directories, String installHint) {
		List<Path> tried = new ArrayList<>();
		for (Path dir : directories) {
			Path candidate = dir.resolve(name);
			tried.add(candidate);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException(description + " '" + name + "' not found (looked at " + tried + "): " + installHint);
	}

	private static List<Path> candidateDirectories() {
		List<Path> dirs = new ArrayList<>();
		for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			dirs.add(dir.resolve(".nsq").resolve("bin"));
		}
		String nsqBin = System.getenv("NSQ_BIN");
		if (nsqBin != null && !nsqBin.isBlank()) {
			dirs.add(Paths.get(nsqBin));
		}
		dirs.addAll(pathDirectories());
		return dirs;
	}

	/** The directories of the {@code PATH} environment variable. */
	static List<Path> pathDirectories() {
		List<Path> dirs = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				if (!entry.isBlank()) {
					dirs.add(Paths.get(entry));
				}
			}
		}
		return dirs;
	}

}
