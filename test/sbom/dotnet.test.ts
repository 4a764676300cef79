// .NET: deps.json, packages.lock.json and project files in the shapes the .NET SDK writes them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dotnetDepsCataloger, dotnetProjectCataloger, exactNuGetVersion, nugetLockCataloger } from "../../src/sbom/catalogers/dotnet.ts";
import type { CatalogedPackage, Cataloger } from "../../src/sbom/model.ts";

function run(cataloger: Cataloger, path: string, content: string): { packages: CatalogedPackage[]; notes: string[] } {
  const notes: string[] = [];
  const packages = cataloger.parse({ path, bytes: Buffer.from(content), mode: 0o644, location: { path, layerIndex: 1, layer: "sha256:l1" } }, { note: (m) => notes.push(m) });
  return { packages, notes };
}

// A self-contained linux-x64 publish of a web app with one project reference (dotnet publish -r linux-x64).
const DEPS_JSON = {
  runtimeTarget: { name: ".NETCoreApp,Version=v6.0/linux-x64", signature: "" },
  compilationOptions: {},
  targets: {
    ".NETCoreApp,Version=v6.0": {},
    ".NETCoreApp,Version=v6.0/linux-x64": {
      "Shop/1.0.0": { dependencies: { "Newtonsoft.Json": "13.0.1", "Shop.Data": "1.0.0", "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64": "6.0.5" }, runtime: { "Shop.dll": {} } },
      "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/6.0.5": { runtime: { "System.Text.Json.dll": { assemblyVersion: "6.0.0.0", fileVersion: "6.0.522.21309" } } },
      "Newtonsoft.Json/13.0.1": { runtime: { "lib/netstandard2.0/Newtonsoft.Json.dll": { assemblyVersion: "13.0.0.0", fileVersion: "13.0.1.25517" } } },
      "System.Text.Encodings.Web/4.7.1": { runtime: { "lib/netstandard2.1/System.Text.Encodings.Web.dll": {} } },
      "Shop.Data/1.0.0": { runtime: { "Shop.Data.dll": {} } },
    },
  },
  libraries: {
    "Shop/1.0.0": { type: "project", serviceable: false, sha512: "" },
    "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/6.0.5": { type: "runtimepack", serviceable: false, sha512: "" },
    "Newtonsoft.Json/13.0.1": { type: "package", serviceable: true, sha512: "sha512-ezXyLFiSV1+3yZ9Xvz6A==", path: "newtonsoft.json/13.0.1", hashPath: "newtonsoft.json.13.0.1.nupkg.sha512" },
    "System.Text.Encodings.Web/4.7.1": { type: "package", serviceable: true, sha512: "sha512-abc==", path: "system.text.encodings.web/4.7.1", hashPath: "system.text.encodings.web.4.7.1.nupkg.sha512" },
    "Shop.Data/1.0.0": { type: "project", serviceable: false, sha512: "" },
  },
};

describe("dotnet-deps cataloger", () => {
  test("package and runtimepack libraries, not projects", () => {
    assert.equal(dotnetDepsCataloger.wants("app/Shop.deps.json", 1, 0o644), true);
    assert.equal(dotnetDepsCataloger.wants("app/Shop.runtimeconfig.json", 1, 0o644), false);
    const { packages, notes } = run(dotnetDepsCataloger, "app/Shop.deps.json", `\uFEFF${JSON.stringify(DEPS_JSON, null, 2)}`);
    assert.deepEqual(notes, []);
    assert.deepEqual(packages.map((p) => [p.name, p.version, p.purl, p.metadata]), [
      ["runtimepack.Microsoft.NETCore.App.Runtime.linux-x64", "6.0.5", "pkg:nuget/runtimepack.Microsoft.NETCore.App.Runtime.linux-x64@6.0.5",
        { libraryType: "runtimepack", targets: ".NETCoreApp,Version=v6.0/linux-x64" }],
      ["Newtonsoft.Json", "13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.1",
        { libraryType: "package", sha512: "sha512-ezXyLFiSV1+3yZ9Xvz6A==", path: "newtonsoft.json/13.0.1", targets: ".NETCoreApp,Version=v6.0/linux-x64" }],
      ["System.Text.Encodings.Web", "4.7.1", "pkg:nuget/System.Text.Encodings.Web@4.7.1",
        { libraryType: "package", sha512: "sha512-abc==", path: "system.text.encodings.web/4.7.1", targets: ".NETCoreApp,Version=v6.0/linux-x64" }],
    ]);
    assert.deepEqual(packages[1], {
      name: "Newtonsoft.Json", version: "13.0.1", ecosystem: "NuGet", purl: "pkg:nuget/Newtonsoft.Json@13.0.1", type: "nuget", licenses: [],
      locations: [{ path: "app/Shop.deps.json", layerIndex: 1, layer: "sha256:l1" }], cataloger: "dotnet-deps", metadata: packages[1]?.metadata,
    });
  });

  test("broken files are noted", () => {
    assert.deepEqual(run(dotnetDepsCataloger, "a.deps.json", "{\"libraries\": {").packages, []);
    assert.match(run(dotnetDepsCataloger, "a.deps.json", "{\"libraries\": {").notes[0] ?? "", /^a\.deps\.json: not valid JSON/);
    assert.deepEqual(run(dotnetDepsCataloger, "a.deps.json", "[]").notes, ["a.deps.json: no \"libraries\" object: not a .deps.json file"]);
    assert.deepEqual(run(dotnetDepsCataloger, "a.deps.json", JSON.stringify({ libraries: { "NoVersion": { type: "package" }, "X/": { type: "package" }, "Y/1.0": { type: "package" } } })), {
      packages: run(dotnetDepsCataloger, "a.deps.json", JSON.stringify({ libraries: { "Y/1.0": { type: "package" } } })).packages,
      notes: ["a.deps.json: library \"NoVersion\" is not \"name/version\"", "a.deps.json: library \"X/\" is not \"name/version\""],
    });
  });
});

describe("nuget-lock cataloger", () => {
  test("resolved versions across target frameworks, projects skipped", () => {
    const lock = {
      version: 1,
      dependencies: {
        "net6.0": {
          "Newtonsoft.Json": { type: "Direct", requested: "[13.0.1, )", resolved: "13.0.1", contentHash: "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==" },
          "Microsoft.CSharp": { type: "Transitive", resolved: "4.7.0", contentHash: "pTj+D3uJWyN3My70i2Hqo+OXixq3Os2D1nJ2x92FFo6sk8fYS1m1WLNTs0Dc1uPaViH0YvEEwvzddQ7y4rhXmA==" },
          "Shop.Data": { type: "Project", dependencies: { "Microsoft.CSharp": "[4.7.0, )" } },
        },
        "net8.0": {
          "Newtonsoft.Json": { type: "Direct", requested: "[13.0.1, )", resolved: "13.0.1", contentHash: "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==" },
        },
      },
    };
    assert.equal(nugetLockCataloger.wants("src/Shop/packages.lock.json", 1, 0o644), true);
    assert.equal(nugetLockCataloger.wants("src/Shop/package-lock.json", 1, 0o644), false);
    const { packages, notes } = run(nugetLockCataloger, "src/Shop/packages.lock.json", JSON.stringify(lock));
    assert.deepEqual(notes, []);
    assert.deepEqual(packages.map((p) => [p.name, p.version, p.purl, p.cataloger, p.metadata?.targets, p.metadata?.dependencyType]), [
      ["Newtonsoft.Json", "13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.1", "nuget-lock", "net6.0, net8.0", "Direct"],
      ["Microsoft.CSharp", "4.7.0", "pkg:nuget/Microsoft.CSharp@4.7.0", "nuget-lock", "net6.0", "Transitive"],
    ]);
    assert.deepEqual(run(nugetLockCataloger, "packages.lock.json", "{}").notes, ["packages.lock.json: no \"dependencies\" object: not a NuGet packages.lock.json"]);
  });
});

describe("dotnet-project cataloger", () => {
  test("PackageReference with exact versions; ranges noted; central versions skipped", () => {
    const csproj = `<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" Version="13.0.1" />
    <PackageReference Include='Serilog' Version='[3.1.1]'/>
    <PackageReference Include="Dapper">
      <Version>2.1.24</Version>
      <PrivateAssets>all</PrivateAssets>
    </PackageReference>
    <!-- <PackageReference Include="Commented.Out" Version="1.0.0" /> -->
    <PackageReference Include="Polly" Version="8.*" />
    <PackageReference Include="AutoMapper" Version="[12.0,13.0)" />
    <PackageReference Include="Central.Managed" />
    <ProjectReference Include="..\\Shop.Data\\Shop.Data.csproj" />
  </ItemGroup>
</Project>
`;
    assert.equal(dotnetProjectCataloger.wants("src/Shop/Shop.csproj", 1, 0o644), true);
    assert.equal(dotnetProjectCataloger.wants("src/Shop/Shop.fsproj", 1, 0o644), true);
    assert.equal(dotnetProjectCataloger.wants("src/Shop/Shop.sln", 1, 0o644), false);
    const { packages, notes } = run(dotnetProjectCataloger, "src/Shop/Shop.csproj", csproj);
    assert.deepEqual(packages.map((p) => [p.name, p.version, p.purl, p.cataloger]), [
      ["Newtonsoft.Json", "13.0.1", "pkg:nuget/Newtonsoft.Json@13.0.1", "dotnet-project"],
      ["Serilog", "3.1.1", "pkg:nuget/Serilog@3.1.1", "dotnet-project"],
      ["Dapper", "2.1.24", "pkg:nuget/Dapper@2.1.24", "dotnet-project"],
    ]);
    assert.deepEqual(notes, ["src/Shop/Shop.csproj: 2 PackageReference(s) with a version range or floating version not reported"]);
  });

  test("exact versions", () => {
    assert.equal(exactNuGetVersion("1.0.0-beta.2"), "1.0.0-beta.2");
    assert.equal(exactNuGetVersion(" [2.0.1] "), "2.0.1");
    assert.equal(exactNuGetVersion("[1.0, )"), undefined);
    assert.equal(exactNuGetVersion("1.*"), undefined);
    assert.equal(exactNuGetVersion("$(SerilogVersion)"), undefined);
  });
});
