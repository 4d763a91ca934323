package io.hookrail.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A candidate version configured in {@code application.properties} ({@code hookrail.flow.<flow>.candidate.*}, ADR 11)
 * has its steps route ({@code from: direct:<flow>-v<version>}) in the files, a share from 0 to 100 and a mode of
 * canary or shadow: otherwise every run the rollout sends to it fails.
 */
final class RolloutCheck {

    private static final Pattern CANDIDATE = Pattern.compile(
            "^\\s*hookrail\\.flow\\.([^.\\s]+)\\.candidate\\.(version|share|mode)\\s*[=:]\\s*(.*?)\\s*$");

    private RolloutCheck() {
    }

    static void check(ValidatedFile properties, List<YamlTree> routes, List<Problem> problems) {
        Set<String> froms = new HashSet<>();
        routes.forEach(tree -> tree.json().forEach(item -> {
            JsonNode uri = item.path("route").path("from").path("uri");
            if (uri.isTextual()) {
                froms.add(uri.asText());
            }
        }));
        String[] lines = properties.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = CANDIDATE.matcher(lines[i]);
            if (!m.matches() || m.group(3).isEmpty()) {
                continue;
            }
            String flow = m.group(1);
            String value = m.group(3);
            String problem = switch (m.group(2)) {
                case "version" -> froms.contains("direct:" + flow + "-v" + value) ? null
                        : "candidate version " + value + " of flow " + flow + " has no steps route (from: direct:"
                        + flow + "-v" + value + ")";
                case "share" -> value.matches("[0-9]{1,3}") && Integer.parseInt(value) <= 100 ? null
                        : "share '" + value + "' is not a whole percentage from 0 to 100";
                default -> value.equals("canary") || value.equals("shadow") ? null
                        : "mode '" + value + "' is neither canary nor shadow";
            };
            if (problem != null) {
                problems.add(new Problem(properties.name(), i + 1, m.start(3) + 1, problem));
            }
        }
    }
}
