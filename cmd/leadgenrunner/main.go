// Command leadgenrunner runs the LeadGenRunner service and its tools.
//
//	leadgenrunner [serve]      run the bot and HTTP server (default)
//	leadgenrunner match ...    test keyword rule files offline
//	leadgenrunner backup FILE  write a consistent copy of the database
//	leadgenrunner version      print the version
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, stdio{os.Stdin, os.Stdout, os.Stderr})
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode prints err and maps it to the process exit code: 0 on success, 2
// for usage and configuration errors, 1 otherwise.
func exitCode(err error, stderr interface{ Write([]byte) (int, error) }) int {
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "leadgenrunner:", err)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}
