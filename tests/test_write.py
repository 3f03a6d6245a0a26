"""Writing is isolated and safe: no escape from the output folder, no double writes, atomic swap."""

import time

import pytest

from patientsite.errors import BuildError
from patientsite.write import write_site


def test_writes_then_replaces_the_previous_site(tmp_path):
    out = tmp_path / "site"
    write_site([("a/index.html", b"one"), ("old.html", b"x")], out)
    write_site([("a/index.html", b"two")], out)
    assert (out / "a/index.html").read_bytes() == b"two"
    assert not (out / "old.html").exists()
    deadline = time.monotonic() + 10  # the replaced folder is deleted in the background
    while sorted(p.name for p in tmp_path.iterdir()) != ["site"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../b.html", "a/./b.html", "a\\b.html"])
def test_refuses_paths_outside_the_output_folder(tmp_path, path):
    out = tmp_path / "site"
    write_site([("keep.html", b"kept")], out)
    with pytest.raises(BuildError) as caught:
        write_site([(path, b"x")], out)
    assert "this output path would escape the output folder" in str(caught.value)
    assert (out / "keep.html").read_bytes() == b"kept"
    assert not (tmp_path / "evil.html").exists()


def test_refuses_a_second_write_to_one_path(tmp_path):
    with pytest.raises(BuildError) as caught:
        write_site([("a.html", b"1"), ("a.html", b"2")], tmp_path / "site")
    assert "a.html: two outputs would be written to the same path" in str(caught.value)
    assert not (tmp_path / "site").exists()
