// Package names as the advisory databases key them, so a cataloger's spelling and an advisory's meet.

/** The key a package name is stored and looked up under in an ecosystem. */
export function packageKey(ecosystem: string, name: string): string {
  switch (ecosystem) {
    case "PyPI":
      // PEP 503: runs of -, _ and . are one separator; case does not matter.
      return name.toLowerCase().replace(/[-_.]+/g, "-");
    case "Packagist":
    case "NuGet":
    case "RubyGems":
      return name.toLowerCase();
    case "Maven":
      // groupId:artifactId; some tools write groupId/artifactId.
      return name.replace("/", ":");
    case "Go":
      return name;
    default:
      return name;
  }
}
