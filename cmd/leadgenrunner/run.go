package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// stdio is the command's standard streams.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// errHelp means usage was printed on request; the exit code is 0.
var errHelp = errors.New("help requested")

// usageError is a mistake in arguments or configuration: exit code 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

type command struct {
	name  string
	short string
	run   func(ctx context.Context, args []string, getenv func(string) string, io stdio) error
}

func commands() []command {
	return []command{
		{"serve", "run the bot, the userbots and the HTTP server (default)", runServe},
		{"match", "match JSONL messages against keyword and stop-word files", runMatch},
		{"backup", "write a consistent copy of the database to a file", runBackup},
		{"version", "print the version", runVersion},
	}
}

// run is the whole program: main only adds signals and the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, io stdio) error {
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		printUsage(io.out)
		return errHelp
	}
	if name == "help" {
		printUsage(io.out)
		return errHelp
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args, getenv, io)
		}
	}
	printUsage(io.err)
	return usagef("unknown command %q", name)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: leadgenrunner [command] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.short)
	}
	fmt.Fprintln(w, "\nRun 'leadgenrunner <command> --help' for a command's flags.")
	fmt.Fprintln(w, "Configuration comes from LGR_ environment variables (and ./.env); see README.md.")
}

// newFlagSet returns a FlagSet whose --help prints usage to out and whose
// errors are usage errors.
func newFlagSet(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: leadgenrunner %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, mapping -h to errHelp and other errors to usage
// errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return &usageError{err}
	}
	return nil
}
