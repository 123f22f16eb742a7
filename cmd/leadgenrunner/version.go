package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

func runVersion(_ context.Context, args []string, _ func(string) string, io stdio) error {
	fs := newFlagSet("version", "version", io.out)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	version, rev := "devel", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				rev = s.Value
			}
		}
	}
	if rev != "" {
		fmt.Fprintf(io.out, "leadgenrunner %s (%s)\n", version, rev)
		return nil
	}
	fmt.Fprintf(io.out, "leadgenrunner %s\n", version)
	return nil
}
