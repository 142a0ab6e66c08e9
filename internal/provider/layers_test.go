package provider

import "testing"

// TestFilesFormLayers: no files use each other, directly or through
// others, so the files form layers: the shared declarations (owners.go,
// attributes.go) at the bottom, the cores above them, provider.go on top.
// A use is a name the parser leaves to the package scope: a package-level
// name of another file, or a method's receiver type.
func TestFilesFormLayers(t *testing.T) {
	t.Parallel()
	_, files := sourceFiles(t)
	declaredIn := map[string]string{}
	for name, f := range files {
		for id := range f.Scope.Objects {
			declaredIn[id] = name
		}
	}
	uses := map[string]map[string]string{} // file: a file it uses: a name it uses of it
	for name, f := range files {
		uses[name] = map[string]string{}
		for _, id := range f.Unresolved {
			if in, ok := declaredIn[id.Name]; ok && in != name {
				uses[name][in] = id.Name
			}
		}
	}
	// Peel the layers off from the bottom: the files that use none left.
	for len(uses) > 0 {
		var bottom []string
		for file, used := range uses {
			if len(used) == 0 {
				bottom = append(bottom, file)
			}
		}
		if len(bottom) == 0 {
			t.Fatalf("these files use each other (file: a file it uses: a name), so they form no layers:\n%v", uses)
		}
		for _, file := range bottom {
			delete(uses, file)
			for _, used := range uses {
				delete(used, file)
			}
		}
	}
}
