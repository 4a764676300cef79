import { test } from "node:test";
import assert from "node:assert/strict";
import { gemfileLockCataloger, gemspecCataloger, parseGemspec, rubyStrings } from "../../src/sbom/catalogers/ruby.ts";
import { assertTruncationsDoNotThrow, catalog } from "./helpers.ts";

// As RubyGems 3.x writes installed specifications (Gem::Specification#to_ruby).
const NOKOGIRI_SPEC = `# -*- encoding: utf-8 -*-
# stub: nokogiri 1.16.6 x86_64-linux lib

Gem::Specification.new do |s|
  s.name = "nokogiri".freeze
  s.version = "1.16.6".freeze
  s.platform = "x86_64-linux".freeze

  s.required_rubygems_version = Gem::Requirement.new(">= 3.3.22".freeze) if s.respond_to? :required_rubygems_version=
  s.metadata = { "bug_tracker_uri" => "https://github.com/sparklemotion/nokogiri/issues", "rubygems_mfa_required" => "true" } if s.respond_to? :metadata=
  s.require_paths = ["lib".freeze]
  s.authors = ["Mike Dalessio".freeze, "Aaron Patterson".freeze]
  s.date = "2024-06-13"
  s.description = "Nokogiri (\\u92F8) makes it easy and painless to work with XML and HTML from Ruby. It provides a\\nsensible, easy-to-understand API.".freeze
  s.licenses = ["MIT".freeze]
  s.required_ruby_version = Gem::Requirement.new([">= 3.0".freeze, "< 3.4.dev".freeze])
  s.rubygems_version = "3.5.11".freeze
  s.summary = "Nokogiri (\\u92F8) makes it easy and painless to work with XML and HTML from Ruby.".freeze

  s.installed_by_version = "3.5.11".freeze if s.respond_to? :installed_by_version

  s.specification_version = 4

  s.add_runtime_dependency(%q<racc>.freeze, ["~> 1.4".freeze])
end
`;

const RAKE_DEFAULT_SPEC = `# -*- encoding: utf-8 -*-
# stub: rake 13.1.0 ruby lib

Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.1.0"

  s.required_rubygems_version = Gem::Requirement.new(">= 1.3.2".freeze) if s.respond_to? :required_rubygems_version=
  s.licenses = ["MIT".freeze, "Ruby".freeze]
end
`;

// RubyGems 1.x wrote %q{} strings and a singular license.
const OLD_SPEC = `Gem::Specification.new do |s|
  s.name = %q{json_pure}
  s.version = "1.4.6"
  s.license = 'Ruby'
end
`;

test("ruby-gemspec: installed specifications, platform gems, default gems and RubyGems 1.x syntax", () => {
  const found = [
    catalog(gemspecCataloger, "usr/local/bundle/specifications/nokogiri-1.16.6-x86_64-linux.gemspec", NOKOGIRI_SPEC),
    catalog(gemspecCataloger, "usr/local/lib/ruby/gems/3.3.0/specifications/default/rake-13.1.0.gemspec", RAKE_DEFAULT_SPEC),
    catalog(gemspecCataloger, "var/lib/gems/1.8/specifications/json_pure-1.4.6.gemspec", OLD_SPEC),
  ];
  assert.deepEqual(found.flatMap((r) => r.notes), []);
  assert.deepEqual(found.flatMap((r) => r.packages), [
    {
      name: "nokogiri", version: "1.16.6", ecosystem: "RubyGems", purl: "pkg:gem/nokogiri@1.16.6?platform=x86_64-linux", type: "gem",
      licenses: ["MIT"], locations: [{ path: "usr/local/bundle/specifications/nokogiri-1.16.6-x86_64-linux.gemspec" }], cataloger: "ruby-gemspec",
      metadata: { platform: "x86_64-linux" },
    },
    {
      name: "rake", version: "13.1.0", ecosystem: "RubyGems", purl: "pkg:gem/rake@13.1.0", type: "gem",
      licenses: ["MIT", "Ruby"], locations: [{ path: "usr/local/lib/ruby/gems/3.3.0/specifications/default/rake-13.1.0.gemspec" }], cataloger: "ruby-gemspec",
    },
    {
      name: "json_pure", version: "1.4.6", ecosystem: "RubyGems", purl: "pkg:gem/json_pure@1.4.6", type: "gem",
      licenses: ["Ruby"], locations: [{ path: "var/lib/gems/1.8/specifications/json_pure-1.4.6.gemspec" }], cataloger: "ruby-gemspec",
    },
  ]);
});

test("ruby-gemspec: wants installed specifications only; unreadable ones are a note", () => {
  const wants = (p: string): boolean => gemspecCataloger.wants(p, 10, 0o100644);
  assert.equal(wants("usr/local/bundle/specifications/rack-3.1.7.gemspec"), true);
  assert.equal(wants("specifications/default/json-2.7.2.gemspec"), true);
  assert.equal(wants("app/mygem.gemspec"), false);
  assert.equal(wants("usr/local/bundle/gems/rack-3.1.7/rack.gemspec"), false);
  const { packages, notes } = catalog(gemspecCataloger, "specifications/x.gemspec", "Gem::Specification.new do |s|\n  s.name = NAME\nend\n");
  assert.deepEqual(packages, []);
  assert.equal(notes.length, 1);
});

test("ruby string literals and the stub line as a fallback", () => {
  assert.deepEqual(rubyStrings(`["a".freeze, 'b\\'c', %q{d}, %q<e>, "f\\"g"]`), ["a", "b'c", "d", "e", 'f"g']);
  assert.deepEqual(parseGemspec("# stub: bigdecimal 3.1.8 ruby lib\n"), { name: "bigdecimal", version: "3.1.8", platform: "ruby", licenses: [] });
});

// As Bundler 2.5 writes it, CHECKSUMS section included.
const GEMFILE_LOCK = `GIT
  remote: https://github.com/rails/rails.git
  revision: 0123456789abcdef0123456789abcdef01234567
  branch: main
  specs:
    activesupport (8.0.0.alpha)
      concurrent-ruby (~> 1.0, >= 1.3.1)

PATH
  remote: engines/billing
  specs:
    billing (0.1.0)
      activesupport

GEM
  remote: https://rubygems.org/
  specs:
    concurrent-ruby (1.3.3)
    nokogiri (1.16.6-aarch64-linux)
      racc (~> 1.4)
    nokogiri (1.16.6-x86_64-linux)
      racc (~> 1.4)
    racc (1.8.0)
    rack (3.1.7)
    sorbet-static (0.5.11481-x86_64-linux)

PLATFORMS
  aarch64-linux
  x86_64-linux

DEPENDENCIES
  activesupport!
  billing!
  nokogiri (~> 1.16)
  rack (= 3.1.7)

CHECKSUMS
  concurrent-ruby (1.3.3) sha256=4c3ab9d1df5cdb1a4d05c7b1d1c0d0d1d4e8f0b1f4b2a5c2a1e3d1f0a0b0c0d0
  rack (3.1.7) sha256=f0b0c0d0a0b0c0d0a0b0c0d0a0b0c0d0a0b0c0d0a0b0c0d0a0b0c0d0a0b0c0d0

RUBY VERSION
   ruby 3.3.4p94

BUNDLED WITH
   2.5.16
`;

test("gemfile-lock: GEM and GIT specs with platforms, PATH gems and dependency lines skipped", () => {
  const { packages, notes } = catalog(gemfileLockCataloger, "app/Gemfile.lock", GEMFILE_LOCK);
  assert.deepEqual(notes, []);
  assert.deepEqual(
    packages.map((p) => p.purl),
    [
      "pkg:gem/activesupport@8.0.0.alpha",
      "pkg:gem/concurrent-ruby@1.3.3",
      "pkg:gem/nokogiri@1.16.6?platform=aarch64-linux",
      "pkg:gem/nokogiri@1.16.6?platform=x86_64-linux",
      "pkg:gem/racc@1.8.0",
      "pkg:gem/rack@3.1.7",
      "pkg:gem/sorbet-static@0.5.11481?platform=x86_64-linux",
    ],
  );
  assert.deepEqual(packages[0], {
    name: "activesupport", version: "8.0.0.alpha", ecosystem: "RubyGems", purl: "pkg:gem/activesupport@8.0.0.alpha", type: "gem",
    licenses: [], locations: [{ path: "app/Gemfile.lock" }], cataloger: "gemfile-lock", metadata: { source: "git" },
  });
  assert.equal(packages[2]?.version, "1.16.6");
  assert.equal(packages[2]?.metadata?.["platform"], "aarch64-linux");
});

test("gemfile-lock: a file that is not a lockfile is a note", () => {
  const { packages, notes } = catalog(gemfileLockCataloger, "Gemfile.lock", "{ \"not\": \"a lockfile\" }\n");
  assert.deepEqual(packages, []);
  assert.equal(notes.length, 1);
  assert.equal(gemfileLockCataloger.wants("x/gems.locked", 1, 0o100644), true);
  assert.equal(gemfileLockCataloger.wants("x/Gemfile", 1, 0o100644), false);
});

test("truncated files of every kind never throw", () => {
  assertTruncationsDoNotThrow(gemspecCataloger, "specifications/nokogiri-1.16.6-x86_64-linux.gemspec", NOKOGIRI_SPEC, 3);
  assertTruncationsDoNotThrow(gemfileLockCataloger, "Gemfile.lock", GEMFILE_LOCK, 2);
});
