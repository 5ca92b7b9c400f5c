//go:build !js && !wasip1

package mailstore

import (
	"testing"

	"github.com/hack-pad/hackpadfs"
)

// The tests against Dovecot once more on a store that reads every message
// from its file when asked (see TestMaildirTestsOnDisk).
func TestDovecotTestsOnDisk(t *testing.T) {
	openForTests = func(fsys hackpadfs.FS, dir string) (*Store, error) { return OpenMaildir(fsys, dir, 1) }
	defer func() { openForTests = nil }()
	t.Run("WeReadWhatDovecotWrites", TestWeReadWhatDovecotWrites)
	t.Run("DovecotReadsWhatWeWrite", TestDovecotReadsWhatWeWrite)
}
