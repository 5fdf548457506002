/**
 * The Java SDK as a Maven jar and pom under its real coordinates (the schema's basePackage, which
 * pulumi-java's generator also makes the group; artifact `turnstile-rotation`). Built with Maven
 * (the generated build is Gradle's, which these machines do not have), from the dependencies the
 * generated build.gradle names, with the resources its `genPulumiResources` task would add:
 * `version.txt`, read by the SDK's Utilities, and `plugin.json`, which tells the engine which
 * plugin to fetch, and from where. Maven's downloads are cached in ~/.m2.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { run } from "./run";

/** The Maven coordinates the release publishes. */
export interface JavaCoordinates {
  readonly group: string;
  readonly artifact: string;
  readonly version: string;
}

/** The dependencies of the generated build.gradle, as Maven dependency elements. */
function dependencies(buildGradle: string): string {
  const found = [...buildGradle.matchAll(/^\s*implementation\("([^:"]+):([^:"]+):([^:"]+)"\)/gm)];
  if (!found.some(([, group]) => group === "com.pulumi")) throw new Error("the generated build.gradle no longer depends on com.pulumi:pulumi");
  return found.map(([, g, a, v]) => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`).join("\n    ");
}

function pom(coordinates: JavaCoordinates, deps: string, sources: string, resources: string, target: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${coordinates.group}</groupId>
  <artifactId>${coordinates.artifact}</artifactId>
  <version>${coordinates.version}</version>
  <name>turnstile-rotation</name>
  <description>Rotates Cloudflare Turnstile widget secrets with zero downtime and publishes them as Pulumi secrets.</description>
  <url>https://github.com/pulumi-turnstile-rotation/pulumi-turnstile-rotation</url>
  <licenses><license><name>The Apache License, Version 2.0</name><url>http://www.apache.org/licenses/LICENSE-2.0.txt</url></license></licenses>
  <scm><url>https://github.com/pulumi-turnstile-rotation/pulumi-turnstile-rotation</url></scm>
  <properties>
    <maven.compiler.source>11</maven.compiler.source>
    <maven.compiler.target>11</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    ${deps}
  </dependencies>
  <build>
    <sourceDirectory>${sources}</sourceDirectory>
    <resources><resource><directory>${resources}</directory></resource></resources>
    <directory>${target}</directory>
  </build>
</project>
`;
}

/** Builds the jar of the generated SDK in `sdkDir` into `outDir`; returns the jar's and the pom's names. */
export function buildJavaJar(sdkDir: string, coordinates: JavaCoordinates, pluginServer: string, outDir: string, scratch: string): string[] {
  const work = path.join(scratch, "java");
  const resources = path.join(work, "resources", ...coordinates.group.split("."), coordinates.artifact);
  fs.mkdirSync(resources, { recursive: true });
  fs.writeFileSync(path.join(resources, "version.txt"), coordinates.version);
  fs.writeFileSync(path.join(resources, "plugin.json"), JSON.stringify({ resource: true, name: "turnstile-rotation", version: coordinates.version, server: pluginServer }, null, 2));
  const deps = dependencies(fs.readFileSync(path.join(sdkDir, "build.gradle"), "utf8"));
  const text = pom(coordinates, deps, path.join(sdkDir, "src", "main", "java"), path.join(work, "resources"), path.join(work, "target"));
  fs.writeFileSync(path.join(work, "pom.xml"), text);
  run("mvn", ["-q", "-B", "package"], work);
  const base = `${coordinates.artifact}-${coordinates.version}`;
  fs.copyFileSync(path.join(work, "target", `${base}.jar`), path.join(outDir, `${base}.jar`));
  // The published pom names the coordinates and dependencies, not this machine's directories.
  fs.writeFileSync(path.join(outDir, `${base}.pom`), text.replace(/\s*<build>[\s\S]*<\/build>/, ""));
  return [`${base}.jar`, `${base}.pom`];
}
