//go:build !boot

package catalog

import "encoding/json"

// parseOther reads a catalogue the flat reader did not take: null values,
// or an error to report as encoding/json words it.
func parseOther(b []byte) (map[string]string, error) {
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}
