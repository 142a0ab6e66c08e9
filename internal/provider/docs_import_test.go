package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importLayout is the order every resource page's Import section follows:
// the ID's form and what import checks, then the import block by identity
// (with the identity schema), by ID, and the CLI.
var importLayout = []string{
	"## Import\n\nThe import ID is `",
	"In Terraform 1.12 and later, an `import` block can name the",
	"### Identity Schema",
	"In Terraform 1.5 and later, use an [`import` block]",
	"With the Terraform CLI:\n\n```shell\n",
}

// TestResourcePagesShareOneImportLayout reads the generated pages (make
// docs): a resource without its own template gets tfplugindocs' default
// Import section, worded and ordered differently.
func TestResourcePagesShareOneImportLayout(t *testing.T) {
	t.Parallel()
	pages, err := filepath.Glob(filepath.Join("..", "..", "docs", "resources", "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no resource pages (%v)", err)
	}
	for _, page := range pages {
		raw, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		at := 0
		for _, part := range importLayout {
			i := strings.Index(text[at:], part)
			if i < 0 {
				t.Errorf("%s: the Import section lacks, after what precedes it, %q", filepath.Base(page), part)
				break
			}
			at += i + len(part)
		}
		if strings.Contains(text, "Import is supported using the following syntax") {
			t.Errorf("%s has tfplugindocs' default Import section", filepath.Base(page))
		}
	}
}
