/**
 * The SDKs generated from schema.json (sdk/): they are current (regenerating them changes
 * nothing), and the ones no program runs here still compile. A Go program cannot run here: the
 * engine needs upstream's Go language host, whose module the Go proxy reachable from these
 * machines refuses; so the Go SDK and examples/producer-go are built and vetted instead. Java
 * likewise (no Java language host): its SDK is compiled with Maven against com.pulumi:pulumi.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { E2E_TIMEOUT_MS } from "./harness";

const exec = promisify(execFile);

/** Runs a command, failing with its output (never a secret here: no credentials are involved). */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    return (await exec(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout = "", stderr = "", message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}: ${message}\n${stdout}\n${stderr}`);
  }
}

/** The files of `dir` (relative paths) as git sees them: tracked, or new and not ignored. */
async function listed(dir: string): Promise<string[]> {
  const out = await run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", dir], REPO_ROOT);
  return out.split("\n").filter(Boolean).map((f) => path.relative(dir, path.join(REPO_ROOT, f))).filter((f) => fs.existsSync(path.join(dir, f))).sort();
}

describe("SDKs generated from schema.json", function () {
  this.timeout(E2E_TIMEOUT_MS);
  let scratch: string;
  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-sdks-"));
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("the checked-in SDKs are exactly what scripts/gen-sdk.sh writes (else run `npm run gen-sdk`)", async () => {
    const fresh = path.join(scratch, "sdk");
    await run("bash", [path.join(REPO_ROOT, "scripts", "gen-sdk.sh"), fresh], REPO_ROOT);
    const checkedIn = path.join(REPO_ROOT, "sdk");
    const files = await listed(checkedIn);
    assert.deepEqual(files, (fs.readdirSync(fresh, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(fresh, f)).isFile()).sort());
    for (const file of files) {
      assert.equal(fs.readFileSync(path.join(checkedIn, file), "utf8"), fs.readFileSync(path.join(fresh, file), "utf8"), `sdk/${file} is stale`);
    }
  });

  it("the Go SDK and examples/producer-go build and pass go vet", async () => {
    const program = path.join(scratch, "producer-go");
    fs.cpSync(path.join(REPO_ROOT, "examples", "producer-go"), program, { recursive: true });
    const goMod = path.join(program, "go.mod");
    fs.writeFileSync(goMod, fs.readFileSync(goMod, "utf8").replace("=> ../../sdk/go", `=> ${path.join(REPO_ROOT, "sdk", "go")}`));
    await run("go", ["build", "-o", path.join(scratch, "producer-go-bin"), "."], program);
    await run("go", ["vet", ".", "github.com/pulumi-turnstile-rotation/pulumi-turnstile-rotation/sdk/go/..."], program);
  });

  it("the Java SDK compiles with Maven against the dependencies its build.gradle names", async () => {
    const gradle = fs.readFileSync(path.join(REPO_ROOT, "sdk", "java", "build.gradle"), "utf8");
    const dependencies = [...gradle.matchAll(/^\s*implementation\("([^:"]+):([^:"]+):([^:"]+)"\)/gm)]
      .map(([, group, artifact, version]) => `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`);
    assert.ok(dependencies.some((d) => d.includes("<artifactId>pulumi</artifactId>")), "build.gradle should depend on com.pulumi:pulumi");
    const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.check</groupId><artifactId>turnstile-rotation-java-sdk</artifactId><version>0</version>
  <properties><maven.compiler.source>11</maven.compiler.source><maven.compiler.target>11</maven.compiler.target>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
  <dependencies>${dependencies.join("")}</dependencies>
  <build><sourceDirectory>${path.join(REPO_ROOT, "sdk", "java", "src", "main", "java")}</sourceDirectory>
    <directory>${path.join(scratch, "java-target")}</directory></build>
</project>`;
    const dir = path.join(scratch, "java");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "pom.xml"), pom);
    await run("mvn", ["-q", "-B", "compile"], dir);
    const classes = (fs.readdirSync(path.join(scratch, "java-target"), { recursive: true }) as string[]).filter((f) => f.endsWith(".class"));
    assert.ok(classes.some((f) => f.endsWith("TurnstileSecretRotation.class")), `no TurnstileSecretRotation class among ${classes.length}`);
  });
});
