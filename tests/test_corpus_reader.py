"""One corpus reader (``align.io.corpus``) for ``--bitext`` input and for rescoring: a TMX is
read once, by one function, whichever of them asks; a corpus carries the signatures it was
scored with (the TMX header's, or those of the run.json beside a JSONL of that run)."""

import json

import align.io.corpus as corpus_module
from align.bitext import prepare_bitext
from align.io.corpus import read_bitext, read_corpus
from align.normalize import Normalizer

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
 srclang="zh-TW" datatype="plaintext"><prop type="x-encoder-signature">enc-1</prop>
<prop type="x-quality-signature">model-1</prop><prop type="x-project">P</prop></header><body>
<tu tuid="7"><prop type="x-method">parallel</prop><prop type="x-signal-margin">1.25</prop>
<tuv xml:lang="zh-TW"><seg>點擊<ph x="1">{0}</ph>儲存。</seg></tuv><tuv xml:lang="en-GB"><seg>Click <ph x="1">{0}</ph> to save.</seg></tuv></tu>
<tu tuid="8"><tuv xml:lang="zh-TW"><seg>她戴著太陽眼鏡。</seg></tuv><tuv xml:lang="en-GB"><seg>She wears sunglasses.</seg></tuv></tu>
</body></tmx>
"""


def test_bitext_input_and_rescoring_read_a_tmx_through_the_one_reader(tmp_path, monkeypatch):
    path = tmp_path / "tm.tmx"
    path.write_text(TMX, encoding="utf-8")
    read = []
    real = corpus_module.read_tmx_file
    monkeypatch.setattr(corpus_module, "read_tmx_file", lambda p: read.append(p) or real(p))
    part = prepare_bitext([str(path)], Normalizer()).parts[0]
    corpus = read_corpus(path)
    assert len(read) == 2  # the run's --bitext and the rescoring, one reader
    assert part.tags == corpus.tags == ("zh-TW", "en-GB")
    assert [p.paragraph.location for p in part.paragraphs] == ["tu 7 zh", "tu 7 en", "tu 8 zh", "tu 8 en"]
    assert [e.location for e in corpus.entries] == ["tu 7", "tu 8"]
    assert part.sentences[0].markup == corpus.entries[0].unit.zh_markup != ""
    assert [e.method for e in corpus.entries] == ["parallel", "bitext"]  # where the file says
    assert corpus.entries[0].signals == {"margin": 1.25}
    assert dict(corpus.signatures) == {"encoder": "enc-1", "quality": "model-1"}
    assert corpus.encoder_signature == "enc-1"
    assert read_bitext(path).entries == corpus.entries


def test_a_jsonl_of_a_run_carries_the_signatures_of_its_run_json(tmp_path):
    records = [{"id": "a", "zh": "她戴着太阳镜。", "en": "She wears sunglasses.", "signature": "abc"}]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert dict(read_corpus(path).signatures) == {}  # no run.json beside it
    (tmp_path / "run.json").write_text(json.dumps({"signature": "abc", "signatures": {"encoder": "e", "quality": "q"}}))
    assert dict(read_corpus(path).signatures) == {"encoder": "e", "quality": "q"}
    (tmp_path / "run.json").write_text(json.dumps({"signature": "other", "signatures": {"encoder": "e"}}))
    assert dict(read_corpus(path).signatures) == {}  # another run's
