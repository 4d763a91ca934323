package io.hookrail.policy;

import java.util.List;

/**
 * A policy file that cannot be used: unreadable, not YAML, or not a valid policy. The message has one line per
 * problem, each {@code <file>:<line>:<column>: <problem>} (1-based, as editors count), first problem first.
 */
public final class PolicyFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** One problem at one place of the file. */
    public record Problem(int line, int column, String text) {
    }

    private final String file;
    private final transient List<Problem> problems;

    public PolicyFileException(String file, List<Problem> problems) {
        super(format(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    PolicyFileException(String file, int line, int column, String problem, Throwable cause) {
        this(file, List.of(new Problem(line, column, problem)));
        initCause(cause);
    }

    /** The file as it was named: a filesystem path, or {@code classpath:policies.yaml}. */
    public String file() {
        return file;
    }

    /** The line (1-based) of the first problem. */
    public int line() {
        return problems.get(0).line();
    }

    /** The column (1-based) of the first problem. */
    public int column() {
        return problems.get(0).column();
    }

    /** Every problem, each as {@code <file>:<line>:<column>: <problem>}. */
    public List<String> problems() {
        return problems.stream().map(p -> format(file, p)).toList();
    }

    private static String format(String file, List<Problem> problems) {
        return String.join("\n", problems.stream().map(p -> format(file, p)).toList());
    }

    private static String format(String file, Problem problem) {
        return file + ":" + problem.line() + ":" + problem.column() + ": " + problem.text();
    }
}
