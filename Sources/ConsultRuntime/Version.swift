/// The one version number `consultd --version`, `consultctl --version` and the metrics share.
public enum Version {
    public static let current = "0.1.0"
}
