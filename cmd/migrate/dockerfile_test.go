package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestStaticBuild builds the CLI as the Dockerfile does (CGO_ENABLED=0)
// and checks that the result needs no dynamic loader or shared library,
// so that it runs in the Dockerfile's empty (scratch) image.
func TestStaticBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI (-short)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("ELF check: linux only")
	}
	bin := filepath.Join(t.TempDir(), "migrate")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("the binary names a dynamic loader (PT_INTERP): not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Fatalf("the binary needs shared libraries: %v", libs)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "migrate ") {
		t.Fatalf("migrate version: %v\n%s", err, out)
	}
}

// TestDockerImage builds the Dockerfile and runs the image on the
// quickstart example, where a Docker daemon and the base image are at
// hand.
func TestDockerImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Docker image (-short)")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("SKIPPING the Docker image build: no Docker daemon (docker info: %v)", err)
	}
	if err := exec.Command("docker", "image", "inspect", "golang:1.26").Run(); err != nil {
		t.Skip("SKIPPING the Docker image build: base image golang:1.26 is not present (docker pull golang:1.26)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tag := "migrate-test:" + strings.ToLower(filepath.Base(t.TempDir()))
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("docker", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("build", "-t", tag, root)
	t.Cleanup(func() { _ = exec.Command("docker", "image", "rm", "-f", tag).Run() })
	if out := run("run", "--rm", tag, "version"); !strings.HasPrefix(out, "migrate ") {
		t.Fatalf("version in the image: %q", out)
	}
	proj := t.TempDir()
	if err := os.CopyFS(proj, os.DirFS(filepath.Join(root, "examples", "quickstart"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(proj, 0o777); err != nil {
		t.Fatal(err)
	}
	run("run", "--rm", "-v", proj+":/work", "-e", "DATABASE_URL=sqlite:app.db", tag, "upgrade", "head")
	if out := run("run", "--rm", "-v", proj+":/work", "-e", "DATABASE_URL=sqlite:app.db", tag, "current"); !strings.Contains(out, "(head)") {
		t.Fatalf("current in the image: %q", out)
	}
}
