package io.hookrail.ops.profile;

import java.util.Set;

/** The published demo credentials of DESIGN section 3: fine on a laptop, refused by the production profile. */
public final class DemoCredentials {

    /** The demo sources' signing secrets. */
    public static final Set<String> SECRETS = Set.of(
            "whsec_zdPH5QVI07sGLlDNTQBHLQgRxLqMuiOb",
            "whsec_fe78c9c78ba6508d3c615b247ff10163",
            "whsec_4Zm2WnupRy2vw5XoLnE2EXiFs28/rlnK",
            "whsec_YiBIjwsee5n9PHwxGnHj9Sr5Ct6jpVje");
    /** The demo admin users' bearer tokens. */
    public static final Set<String> TOKENS = Set.of(
            "demo-viewer-token", "demo-operator-token", "demo-approver-token", "demo-approver2-token");

    private DemoCredentials() {
    }
}
