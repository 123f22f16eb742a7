package monitor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// RunMatch is the matcher command of the spec: it reads JSON Lines objects
// with at least "id" and "text" from in and writes one
// {"id","match","keywords","stopped_by"} line per input line to out, in
// input order. Blank input lines are skipped. A malformed line stops the run
// with an error naming its line number; the lines before it are written.
func RunMatch(in io.Reader, out io.Writer, keywordRules, stopRules []string) error {
	m, err := Compile(keywordRules, stopRules)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err = runMatch(bufio.NewReader(in), enc, m)
	if ferr := bw.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write output: %w", ferr)
	}
	return err
}

type matchInput struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

type matchOutput struct {
	ID        json.RawMessage `json:"id"`
	Match     bool            `json:"match"`
	Keywords  []string        `json:"keywords"`
	StoppedBy *string         `json:"stopped_by"`
}

func runMatch(br *bufio.Reader, enc *json.Encoder, m *Matcher) error {
	for n := 1; ; n++ {
		line, rerr := br.ReadBytes('\n')
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return fmt.Errorf("read line %d: %w", n, rerr)
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			var msg matchInput
			if err := json.Unmarshal(line, &msg); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			if len(msg.ID) == 0 || string(msg.ID) == "null" {
				return fmt.Errorf("line %d: missing \"id\"", n)
			}
			if msg.Text == nil {
				return fmt.Errorf("line %d: missing \"text\"", n)
			}
			res := m.Match(*msg.Text)
			o := matchOutput{ID: msg.ID, Match: res.Match, Keywords: res.Keywords}
			if res.StoppedBy != "" {
				o.StoppedBy = &res.StoppedBy
			}
			if err := enc.Encode(o); err != nil {
				return fmt.Errorf("line %d: write: %w", n, err)
			}
		}
		if rerr != nil {
			return nil
		}
	}
}
