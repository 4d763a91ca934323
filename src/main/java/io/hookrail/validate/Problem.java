package io.hookrail.validate;

import java.util.Comparator;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** One problem at one place of a file, printed {@code file:line:column: problem} (1-based, as editors count). */
public record Problem(String file, int line, int column, String text) {

    /** In the order of the files, then as an editor walks each file. */
    public static final Comparator<Problem> ORDER = Comparator.comparing(Problem::file)
            .thenComparingInt(Problem::line).thenComparingInt(Problem::column);

    /** A problem at the start of a YAML node (its whole file when there is none). */
    public static Problem at(String file, Node node, String text) {
        Mark mark = node == null ? null : node.getStartMark().orElse(null);
        return at(file, mark, text);
    }

    /** A problem at a mark of SnakeYAML (0-based), or line 1 column 1 without one. */
    public static Problem at(String file, Mark mark, String text) {
        return mark == null ? new Problem(file, 1, 1, text)
                : new Problem(file, mark.getLine() + 1, mark.getColumn() + 1, text);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + text;
    }
}
