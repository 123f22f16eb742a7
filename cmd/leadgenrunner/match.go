package main

import (
	"context"
	"fmt"
	"os"

	"github.com/leadgenrunner/leadgenrunner/monitor"
)

// runMatch is the matching CLI of shared/eval/matching: JSONL {"id","text"} in,
// JSONL {"id","match","keywords","stopped_by"} out, through the very engine
// the service uses.
func runMatch(_ context.Context, args []string, _ func(string) string, io stdio) error {
	fs := newFlagSet("match", "match --keywords FILE [--stop-words FILE] < in.jsonl > out.jsonl", io.out)
	kwPath := fs.String("keywords", "", "keyword rule file, one rule per line (required)")
	stopPath := fs.String("stop-words", "", "stop-word rule file, one rule per line")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *kwPath == "" {
		return usagef("match: --keywords is required")
	}
	kw, err := readRules(*kwPath)
	if err != nil {
		return err
	}
	var stop []string
	if *stopPath != "" {
		if stop, err = readRules(*stopPath); err != nil {
			return err
		}
	}
	return monitor.RunMatch(io.in, io.out, kw, stop)
}

func readRules(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &usageError{fmt.Errorf("match: %w", err)}
	}
	defer f.Close()
	rules, err := monitor.ReadRuleFile(f)
	if err != nil {
		return nil, fmt.Errorf("match: read %s: %w", path, err)
	}
	return rules, nil
}
