//go:build boot

package catalog

import "errors"

// parseOther, in the page's first module (tag boot, built without
// encoding/json), refuses what the flat reader did not take: the page
// fetches catalogues the build wrote flat, and labctl checks them with the
// full reader.
func parseOther([]byte) (map[string]string, error) {
	return nil, errors.New("catalogue: not a JSON object of strings")
}
