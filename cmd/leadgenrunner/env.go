package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// env reads LGR_ settings: the process environment first, then a .env file.
type env struct {
	getenv func(string) string
	file   map[string]string
}

func envLookup(getenv func(string) string) env {
	return env{getenv: getenv}
}

// loadDotEnv reads KEY=VALUE lines from path if it exists. Blank lines and #
// comments are skipped; values may be wrapped in single or double quotes.
func (e *env) loadDotEnv(path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	e.file = make(map[string]string)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return usagef("%s:%d: want KEY=VALUE", path, n)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		e.file[k] = v
	}
	return sc.Err()
}

func (e env) get(key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	if v, ok := e.file[key]; ok && v != "" {
		return v
	}
	return def
}

func (e env) int(key string, def int) (int, error) {
	s := e.get(key, "")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, usagef("%s must be a whole number, got %q", key, s)
	}
	return n, nil
}

func (e env) bool(key string) (bool, error) {
	s := e.get(key, "")
	if s == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		return false, usagef("%s must be true or false, got %q", key, s)
	}
	return v, nil
}

func (e env) int64s(key string) ([]int64, error) {
	var out []int64
	for _, f := range strings.FieldsFunc(e.get(key, ""), func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, usagef("%s must be comma-separated Telegram user IDs, got %q", key, f)
		}
		out = append(out, n)
	}
	return out, nil
}
