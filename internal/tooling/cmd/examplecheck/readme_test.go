package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is where README.md and docs/ are, seen from this package.
const repoRoot = "../../../.."

// TestReadmeLinksEveryDocsPage: README's documentation list is how a reader
// of the repository finds the registry pages, so a page that make docs
// writes (a new resource, list resource or guide) must be linked from it.
func TestReadmeLinksEveryDocsPage(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	err = fs.WalkDir(os.DirFS(repoRoot), "docs", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".md" {
			return err
		}
		pages++
		if link := "](" + path + ")"; !strings.Contains(string(readme), link) {
			t.Errorf("README.md does not link %s: add [%s](%s) to its Documentation list", path, path, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages == 0 {
		t.Fatal("no page found under docs/")
	}
}
