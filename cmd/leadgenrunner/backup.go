package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// runBackup writes a consistent copy of the database. It opens the store
// itself, and a running service holds the database's file lock, so run it
// while the service is stopped. The master key is not in the copy: back up
// LGR_MASTER_KEY or DATA_DIR/master.key separately.
func runBackup(_ context.Context, args []string, getenv func(string) string, io stdio) error {
	fs := newFlagSet("backup", "backup FILE   (uses LGR_DATA_DIR and LGR_MASTER_KEY)", io.out)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usagef("backup: want exactly one destination file")
	}
	env := envLookup(getenv)
	dataDir := env.get("LGR_DATA_DIR", "./data")
	key, err := store.LoadMasterKey(dataDir, env.get("LGR_MASTER_KEY", ""))
	if err != nil {
		return err
	}
	st, err := store.Open(store.Config{Path: filepath.Join(dataDir, "leadgenrunner.db"), MasterKey: key})
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := os.OpenFile(fs.Arg(0), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	n, err := st.Backup(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(fs.Arg(0))
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(io.out, "wrote %d bytes to %s\n", n, fs.Arg(0))
	return nil
}
