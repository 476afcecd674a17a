from pathlib import Path

import pytest

from dsl.resolver import AmbiguousRuleset, FileResolver, default_resolver_for, header_of


def test_header_of_reads_code_and_version_with_aliases_and_case():
    assert header_of('# chú thích\nBỘ QUY TẮC "TH-2026" phiên bản 3\n') == ("TH-2026", 3)
    assert header_of('bo quy tac "ND335-CC"  phien ban 12') == ("ND335-CC", 12)
    assert header_of('\ufeff\n\nbộ quy tắc "Hạc-Thành" phiên bản 1') == ("Hạc-Thành", 1)
    assert header_of("tham số x = 1") is None


def test_file_resolver_scans_recursively(tmp_path: Path):
    (tmp_path / "tinh" / "xa").mkdir(parents=True)
    (tmp_path / "tinh" / "a.kpi").write_text('bộ quy tắc "TH" phiên bản 1\n', encoding="utf-8")
    (tmp_path / "tinh" / "xa" / "b.kpi").write_text('\ufeffbộ quy tắc "TH" phiên bản 2\n', encoding="utf-8")
    (tmp_path / "tinh" / "xa" / "c.txt").write_text('bộ quy tắc "TH" phiên bản 3\n', encoding="utf-8")
    (tmp_path / "bad.kpi").write_bytes(b"\xff\xfe garbage")
    r = FileResolver(tmp_path)
    text, name = r.find("TH", 2)
    assert name.endswith("b.kpi") and "phiên bản 2" in text and not text.startswith("\ufeff")
    assert r.find("th", 1)[1].endswith("a.kpi")
    assert r.find("TH", 3) is None
    assert FileResolver(tmp_path / "missing").find("TH", 1) is None


def test_default_resolver_searches_the_rulesets_ancestor_and_given_folders_never_the_cwd(
    tmp_path: Path, monkeypatch
):
    nested = tmp_path / "rulesets" / "tinh"
    nested.mkdir(parents=True)
    f = nested / "x.kpi"
    f.write_text("", encoding="utf-8")
    assert default_resolver_for(f).roots == [(tmp_path / "rulesets").resolve()]
    other = tmp_path / "elsewhere"
    other.mkdir()
    g = other / "y.kpi"
    g.write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # ./rulesets exists here: it does not count
    assert default_resolver_for(g).roots == [other.resolve()]
    given = default_resolver_for(g, [nested], [f])
    assert given.roots == [nested, other.resolve()] and given.files == [f]
    assert "elsewhere" in given.searched() and "x.kpi" in given.searched()


def test_same_code_and_version_in_two_files_is_ambiguous(tmp_path: Path):
    (tmp_path / "a.kpi").write_text('bộ quy tắc "TH" phiên bản 1\n', encoding="utf-8")
    (tmp_path / "b.kpi").write_text('bo quy tac "th" phien ban 1\n', encoding="utf-8")
    with pytest.raises(AmbiguousRuleset) as info:
        FileResolver(tmp_path).find("TH", 1)
    assert "a.kpi" in str(info.value) and "b.kpi" in str(info.value)
    # the same file reached twice (folder and command line) is one candidate
    assert FileResolver(tmp_path, files=[tmp_path / "a.kpi"]).find("TH", 2) is None


def test_with_version_replaces_only_the_header_number():
    from dsl.resolver import with_version

    source = '\ufeffBo Quy Tac "TH-2026" PHIÊN BẢN 3\n  tên "phiên bản 3"\n'
    assert with_version(source, 4) == 'Bo Quy Tac "TH-2026" PHIÊN BẢN 4\n  tên "phiên bản 3"\n'
    assert header_of(with_version(source, 12)) == ("TH-2026", 12)
    assert with_version("tham số x = 1\n", 2) is None


def test_source_hash_is_the_check_results():
    from dsl.pipeline import check_source, source_hash

    source = '\ufeffbộ quy tắc "X" phiên bản 1\n'
    assert source_hash(source) == check_source(source).sha256 == source_hash(source.lstrip("\ufeff"))
