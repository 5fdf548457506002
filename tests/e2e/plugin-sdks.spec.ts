/**
 * The SDKs generated from schema.json (sdk/): they are current (regenerating them changes
 * nothing), and the ones no program runs here build as users get them from a release
 * (tests/e2e/release-assets.ts). A Go program cannot run here: the engine needs upstream's Go
 * language host, whose module the Go proxy reachable from these machines refuses; so
 * examples/producer-go is built and vetted against the release's Go module, fetched by its real
 * path. Java likewise (no Java language host): examples/producer-java compiles against the
 * release's jar under its real Maven coordinates.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../scripts/lib/engine";
import { E2E_TIMEOUT_MS } from "./harness";
import { VERSION, releaseDir } from "./release-assets";

const exec = promisify(execFile);
const GO_MODULE = "github.com/pulumi-turnstile-rotation/pulumi-turnstile-rotation/sdk/go";
const JAVA_GROUP = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8")) as { language: { java: { basePackage: string } } }).language.java.basePackage;

/** Runs a command, failing with its output (never a secret here: no credentials are involved). */
async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    return (await exec(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout;
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

  it("the Go module as the release tags it builds examples/producer-go outside the repository, by its real path", async () => {
    // The release directory's go/ is the Go proxy's layout of the module once sdk/go/v<version>
    // is tagged: a program outside the repository fetches it like any module, and checks its hash.
    const program = path.join(scratch, "producer-go");
    fs.cpSync(path.join(REPO_ROOT, "examples", "producer-go"), program, { recursive: true });
    const goMod = path.join(program, "go.mod");
    fs.writeFileSync(goMod, fs.readFileSync(goMod, "utf8").replace(/^replace .*$/m, ""));
    const proxy = (await run("go", ["env", "GOPROXY"], program)).trim();
    const env = { ...process.env, GOPROXY: `file://${path.join(releaseDir(), "go")},${proxy}`, GONOSUMDB: "github.com/pulumi-turnstile-rotation", GOFLAGS: "-mod=mod" };
    await run("go", ["get", `${GO_MODULE}@v${VERSION}`], program, env);
    await run("go", ["build", "-o", path.join(scratch, "producer-go-bin"), "."], program, env);
    await run("go", ["vet", ".", `${GO_MODULE}/...`], program, env);
    assert.match(fs.readFileSync(path.join(program, "go.sum"), "utf8"), new RegExp(`^${GO_MODULE} v${VERSION} h1:`, "m"));
  });

  it("the release's Java jar, installed as docs/install.md says, compiles examples/producer-java under its real group and package", async () => {
    // Maven would take a copy installed by an earlier run over this release's.
    fs.rmSync(path.join(os.homedir(), ".m2", "repository", ...JAVA_GROUP.split(".")), { recursive: true, force: true });
    const jar = path.join(releaseDir(), `turnstile-rotation-${VERSION}.jar`);
    await run("mvn", ["-q", "-B", "install:install-file", `-Dfile=${jar}`, `-DpomFile=${jar.replace(/\.jar$/, ".pom")}`], scratch);
    const program = path.join(scratch, "producer-java");
    fs.cpSync(path.join(REPO_ROOT, "examples", "producer-java"), program, { recursive: true });
    const pom = path.join(program, "pom.xml");
    fs.writeFileSync(pom, fs.readFileSync(pom, "utf8").replace(/(<artifactId>turnstile-rotation<\/artifactId>\s*<version>)[^<]+/, `$1${VERSION}`));
    await run("mvn", ["-q", "-B", "compile"], program);
    assert.ok(fs.existsSync(path.join(program, "target", "classes", "producer", "App.class")), "App.class was compiled");
  });
});
