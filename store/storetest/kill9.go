package storetest

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Kill9 runs this test binary again as a child (with env added to its
// environment; the child's TestMain recognises it and writes instead of
// testing), reads the child's stdout line by line into ack, and sends
// SIGKILL at a random moment up to maxDelay after the first acknowledged
// line. A child prints a line only after the write it names is durable, so
// everything ack saw must be in the store afterwards.
//
// ack returns an error for a line it cannot read; Kill9 returns the first
// such error, an error when no line arrives within timeout, or when the child
// exits without acknowledging anything (with its stderr).
func Kill9(t testing.TB, env []string, maxDelay, timeout time.Duration, ack func(line string) error) error {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var readErr error
	lines := 0
	first := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if err := ack(sc.Text()); err != nil {
				readErr = err
				return
			}
			if lines++; lines == 1 {
				close(first)
			}
		}
	}()
	var waitErr error
	select {
	case <-first:
		time.Sleep(rand.N(maxDelay))
	case <-done:
	case <-time.After(timeout):
		waitErr = fmt.Errorf("no ack from child within %s", timeout)
	}
	cmd.Process.Kill() // SIGKILL
	<-done
	cmd.Wait()
	switch {
	case readErr != nil:
		return readErr
	case waitErr != nil:
		return waitErr
	case lines == 0:
		return fmt.Errorf("child exited without acks; stderr: %s", stderr.String())
	}
	return nil
}
