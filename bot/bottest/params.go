package bottest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// maxBody bounds a request body; the real API accepts uploads up to 50 MB.
const maxBody = 50 << 20

// decodeRequest reads the parameters of a Bot API call, which may arrive
// as a JSON object, a form-urlencoded body, multipart form data or a query
// string. Every value becomes a string: JSON strings are unquoted, other
// JSON values (numbers, booleans, arrays, objects) keep their JSON text.
// Multipart parts with a filename parameter, even an empty one, are files.
func decodeRequest(r *http.Request) (map[string]string, map[string]File, error) {
	params := make(map[string]string)
	files := make(map[string]File)
	for k, v := range r.URL.Query() {
		params[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return params, files, fmt.Errorf("multipart: %w", err)
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return params, files, fmt.Errorf("multipart: %w", err)
			}
			_, disp, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
			data, err := io.ReadAll(io.LimitReader(part, maxBody))
			if err != nil {
				return params, files, fmt.Errorf("multipart: %w", err)
			}
			name := disp["name"]
			if filename, ok := disp["filename"]; ok {
				files[name] = File{Name: filename, Data: data}
			} else {
				params[name] = string(data)
			}
		}
	case "application/x-www-form-urlencoded":
		r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			return params, files, fmt.Errorf("form: %w", err)
		}
		for k, v := range r.PostForm {
			params[k] = v[0]
		}
	default:
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			return params, files, fmt.Errorf("body: %w", err)
		}
		if err := decodeJSONParams(body, params); err != nil {
			return params, files, err
		}
	}
	return params, files, nil
}

// decodeJSONParams adds the fields of the JSON object body to params. An
// empty body or JSON null adds nothing.
func decodeJSONParams(body []byte, params map[string]string) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	for k, raw := range obj {
		raw = bytes.TrimSpace(raw)
		switch {
		case bytes.Equal(raw, []byte("null")):
		case len(raw) > 0 && raw[0] == '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return fmt.Errorf("json: field %s: %w", k, err)
			}
			params[k] = s
		default:
			var buf bytes.Buffer
			if err := json.Compact(&buf, raw); err != nil {
				return fmt.Errorf("json: field %s: %w", k, err)
			}
			params[k] = buf.String()
		}
	}
	return nil
}
