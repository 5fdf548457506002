package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync/atomic"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// exitAfterUserMessage is cmd/run's exit code after it already showed the user an error.
const exitAfterUserMessage = 32

// oomHint is upstream's advice when node's output shows it ran out of memory.
const oomHint = "Detected a possible out of memory error. Consider increasing the memory available to the nodejs process " +
	"by setting the `nodeargs` runtime option in Pulumi.yaml to `nodeargs: --max-old-space-size=<size>` where " +
	"`<size>` is the maximum memory in megabytes that can be allocated to nodejs. " +
	"See https://www.pulumi.com/docs/concepts/projects/project-file/#runtime-options"

// oomMarkers are what node prints when it runs out of memory: V8's GC trace, or the debugger
// assertion that sometimes hides it.
var oomMarkers = [][]byte{
	[]byte("<--- Last few GCs --->"),
	[]byte("Check failed: needs_context && current_scope_ == closure_scope_"),
}

// oomSniffer passes the program's stderr through and remembers whether it looked like an OOM.
type oomSniffer struct {
	out      io.Writer
	tail     []byte // the end of the previous write, for a marker split across writes
	detected atomic.Bool
}

func newOOMSniffer(out io.Writer) (io.Writer, *oomSniffer) {
	s := &oomSniffer{out: out}
	return s, s
}

func (s *oomSniffer) Write(p []byte) (int, error) {
	if !s.detected.Load() {
		window := append(s.tail, p...)
		for _, marker := range oomMarkers {
			if bytes.Contains(window, marker) {
				s.detected.Store(true)
			}
		}
		keep := min(len(window), 80)
		s.tail = append([]byte(nil), window[len(window)-keep:]...)
	}
	return s.out.Write(p)
}

// runOutcome turns how the program ended into the engine's answer, as upstream does: exit code 32
// means the program already reported its error (bail quietly); any other failure is reported.
func runOutcome(err error, sniffer *oomSniffer) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err)}
	}
	switch code := exitErr.ExitCode(); code {
	case 0:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exitErr)}
	case exitAfterUserMessage:
		return &pulumirpc.RunResponse{Bail: true}
	default:
		message := fmt.Sprintf("Program exited with non-zero exit code: %d", code)
		if sniffer.detected.Load() {
			message += ". " + oomHint
		}
		return &pulumirpc.RunResponse{Error: message}
	}
}
