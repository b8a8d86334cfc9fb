"""The notebooks' language: English, or Korean with ``NST_LANG=ko`` (the Korean notebooks' setup
cell sets it). One home for every Korean string the package shows: check verdicts and hints,
explorer labels and status lines, the titles and labels of the package's figures.

``t(english, **fields)`` returns the Korean text when ``NST_LANG=ko`` and the catalogue has it,
else the English; ``fields`` fill ``{placeholders}`` in either. The English text is the key, so
the English code stays readable and a missing translation shows English, never a blank.

Error messages (``nst_helpers.errors``) stay English in both editions: they are what a student
pastes into a search engine. The terms follow docs/glossary.ko.md.
"""

import importlib.util
import os
import warnings
from pathlib import Path

LANGUAGES = ("en", "ko")
_warned = set()

# English → Korean. Placeholders keep their English names.
KO = {
    # checks: verdicts
    "✗ {name}: returned {kind}, which is not a number or array ({error})":
        "✗ {name}: 숫자나 배열이 아닌 {kind}을(를) 반환했습니다 ({error})",
    "✗ {name}: shape {got}, expected {want}. Hint: {hint}":
        "✗ {name}: 형태가 {got}입니다. {want}이어야 합니다. 힌트: {hint}",
    "✓ {name} is correct (max relative error {error})": "✓ {name} 정답입니다 (최대 상대 오차 {error})",
    "✗ {name}: max relative error {error} (should be below {tolerance}). Hint: {hint}":
        "✗ {name}: 최대 상대 오차가 {error}입니다 ({tolerance}보다 작아야 합니다). 힌트: {hint}",
    "… {name}: not implemented yet. Replace `raise NotImplementedError` with your code.":
        "… {name}: 아직 구현하지 않았습니다. `raise NotImplementedError`를 여러분의 코드로 바꾸세요.",
    "✗ {name} raised {kind}: {error}": "✗ {name}에서 {kind} 예외가 발생했습니다: {error}",
    "✓ right: {why}": "✓ 맞습니다: {why}",
    "✗ not quite ({answer}). {hint}": "✗ 아쉽습니다 ({answer}). {hint}",
    "Look at the figure again.": "그림을 다시 살펴보세요.",
    "✗ luminance_split: return a pair (y, iq)": "✗ luminance_split: (y, iq) 쌍을 반환하세요",
    "using your {functions}": "여러분의 함수를 사용합니다: {functions}",
    "nothing yet": "아직 없음",
    "; the package's {functions} (yours do not pass their checks yet)":
        "; 패키지의 함수를 사용합니다: {functions} (여러분의 함수는 아직 검사를 통과하지 못했습니다)",
    # checks: hints
    "flatten to [H·W, C], multiply its transpose by itself, divide by H·W":
        "[H·W, C]로 펼치고, 그 전치 행렬과 자신을 곱한 다음 H·W로 나누세요",
    "the mean (not the sum) of the squared differences": "차이의 제곱의 (합이 아니라) 평균입니다",
    "take the Gram matrix of the features first, then the mean squared difference":
        "먼저 특성의 그람 행렬을 구한 다음 차이의 제곱의 평균을 구하세요",
    "sum |x[i+1, j] − x[i, j]| and |x[i, j+1] − x[i, j]| over all pixels and channels":
        "모든 픽셀과 채널에 대해 |x[i+1, j] − x[i, j]|와 |x[i, j+1] − x[i, j]|를 더하세요",
    "reverse the channels (RGB → BGR), scale to 0–255, subtract [103.939, 116.779, 123.68]":
        "채널 순서를 뒤집고(RGB → BGR), 0–255 척도로 바꾼 다음 [103.939, 116.779, 123.68]을 빼세요",
    "Y = 0.299 R + 0.587 G + 0.114 B, shape [1, H, W]": "Y = 0.299 R + 0.587 G + 0.114 B, 형태 [1, H, W]",
    "stack I and Q on the last axis: [1, H, W, 2]": "I와 Q를 마지막 축으로 쌓으세요: [1, H, W, 2]",
    "return the loss computed before the step": "스텝 전에 계산한 손실을 반환하세요",
    "x ← x − lr·∇loss, then image.assign(tf.clip_by_value(image, 0, 1))":
        "x ← x − lr·∇loss, 그다음 image.assign(tf.clip_by_value(image, 0, 1))",
    # checks: the notebooks' questions
    "the deepest layer keeps the arrangement of objects but has thrown away the exact pixel values":
        "가장 깊은 층은 물체의 구도는 간직하지만 정확한 픽셀 값은 버렸습니다",
    "with the style weight a billion times smaller than the content weight, the content term wins and "
    "the result stays the photo":
        "스타일 가중치가 콘텐츠 가중치보다 10억 배 작으면 콘텐츠 항이 이기고 결과는 사진 그대로 남습니다",
    "blocks 4 and 5 see the largest patches of the painting (receptive fields of 68 and 156 px), so they "
    "carry the painting's largest structures; at demo settings the 1–4 and 1–5 textures have not converged "
    "yet and look like speckle, and 1–3 shows the clearest swirls (the gallery's full-quality figure shows "
    "the large structures)":
        "블록 4와 5가 그림의 가장 넓은 영역을 봅니다(수용 영역 68 px와 156 px). 그래서 그림의 가장 큰 구조를 "
        "담습니다. 데모 설정에서는 1–4와 1–5의 질감이 아직 수렴하지 않아 얼룩처럼 보이고, 1–3이 소용돌이를 "
        "가장 선명하게 보여 줍니다(갤러리의 전체 품질 그림에 큰 구조가 보입니다)",
    "Which layer has seen the most processing — and thrown the most away?":
        "어느 층이 가장 많은 처리를 거쳤고, 그래서 가장 많이 버렸을까요?",
    "Which layers see the largest patches of the painting?": "어느 층이 그림의 가장 넓은 영역을 볼까요?",
    "α multiplies the content loss, β the style loss. Which wins when α/β is huge?":
        "α는 콘텐츠 손실에, β는 스타일 손실에 곱해집니다. α/β가 아주 크면 어느 쪽이 이길까요?",
    # explorers (widgets.py, explorer.py, upload.py)
    "Run": "실행",
    "Stop": "중지",
    "Pin for comparison": "비교용으로 고정",
    "Settings changed: press <b>Run</b>.": "설정이 바뀌었습니다. <b>실행</b>을 누르세요.",
    "Running: {settings} …": "실행 중: {settings} …",
    "Set the controls, then press <b>Run</b>.": "설정을 고른 다음 <b>실행</b>을 누르세요.",
    "press Stop to keep this": "이 결과를 남기려면 중지를 누르세요",
    "step {step}: loss {loss} ({seconds} s) — {hint}": "스텝 {step}: 손실 {loss} ({seconds}초) — {hint}",
    "stopped early": "일찍 중지함",
    "final loss {loss}": "최종 손실 {loss}",
    "no step finished": "끝난 스텝 없음",
    "Explorer": "탐색기",
    "Style transfer explorer": "스타일 전이 탐색기",
    "Content reconstruction explorer": "콘텐츠 재구성 탐색기",
    "Style reconstruction explorer": "스타일 재구성 탐색기",
    "content α": "콘텐츠 α",
    "style β": "스타일 β",
    "variation γ": "변동 γ",
    "weight {layer}": "가중치 {layer}",
    "from cache": "캐시에서",
    "the photo in the painting's colours": "그림의 색으로 바꾼 사진",
    "the photo": "사진",
    "white noise": "백색 잡음",
    "no (the painting's colours)": "아니요 (그림의 색)",
    "luminance only": "휘도만",
    "match the painting's colours": "그림의 색을 사진에 맞추기",
    "pinned": "고정됨",
    "current": "현재",
    "content layer": "콘텐츠 층",
    "style layers": "스타일 층",
    "size (px)": "크기 (px)",
    "steps": "스텝",
    "optimiser": "옵티마이저",
    "start from": "시작 이미지",
    "photo's colours": "사진의 색",
    "blend (1 = first)": "혼합 (1 = 첫째)",
    "layer": "층",
    "β = 0: no style": "β = 0: 스타일 없음",
    "Upload {label}": "{label} 업로드",
    "your picture": "내 그림",
    "your photo": "내 사진",
    "Using the bundled <b>{default}</b>; upload {label} to use it instead.":
        "함께 제공되는 <b>{default}</b>을(를) 사용합니다. 대신 쓰려면 {label}을(를) 업로드하세요.",
    "Not on Colab: use the Upload button above.": "Colab이 아닙니다. 위의 업로드 버튼을 사용하세요.",
    # figures (plotting.py)
    "step": "스텝",
    "seconds": "초",
    "weighted loss": "가중 손실",
    "Gram matrix": "그람 행렬",
    "channel": "채널",
    "{title}\n({rows}×{cols}; first {count} channels)": "{title}\n({rows}×{cols}, 처음 {count}개 채널)",
    "{title}\n({rows}×{cols})": "{title}\n({rows}×{cols})",
    "ch {channel}": "채널 {channel}",
    "mean activation ({layer})": "평균 활성화 ({layer})",
    "mean(G²) follows mean activation⁴": "mean(G²)는 평균 활성화⁴를 따릅니다",
    "share of the style loss": "스타일 손실에서 차지하는 비율",
    "share of its gradient": "그래디언트에서 차지하는 비율",
    "zoomed centre": "확대한 중앙",
    "horizontal differences": "가로 방향 차이",
    "vertical differences": "세로 방향 차이",
    # gallery.expected
    "Expected at full quality (gallery figure images/results/{name}.png): {how}.":
        "전체 품질에서 기대되는 결과 (갤러리 그림 images/results/{name}.png): {how}.",
    "The cell above: {full} at full quality, {demo} in demo mode (measured: docs/notebook-times.json).":
        "위 셀의 실행 시간: 전체 품질에서 {full}, 데모 모드에서 {demo} (측정값: docs/notebook-times.json).",
}
CATALOGUES = {"ko": KO}


def language():
    """``"en"`` or ``"ko"``, from ``NST_LANG`` (read on every call, so a notebook may switch). An
    unknown value falls back to English with one warning naming the choices."""
    value = os.environ.get("NST_LANG", "").strip().lower() or "en"
    if value in LANGUAGES:
        return value
    if value not in _warned:
        _warned.add(value)
        warnings.warn(f"NST_LANG={value!r} is not one of {', '.join(LANGUAGES)}: using English", stacklevel=2)
    return "en"


def t(english, **fields):
    """``english`` in the notebooks' language, with ``fields`` filled in."""
    text = CATALOGUES.get(language(), {}).get(english, english)
    return text.format(**fields) if fields else text


def hangul_font():
    """The NanumGothic file that PyPI's koreanize-matplotlib ships (MIT; the font is under the SIL
    Open Font License), or None. Found without importing the package: its import does more than
    register a font (it imports ``distutils``, gone from Python 3.12 unless setuptools shims it)."""
    importlib.invalidate_caches()  # on Colab the setup cell pip-installs it into the running kernel
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "NanumGothic.ttf"
    return path if path.exists() else None


def use_hangul_font():
    """With ``NST_LANG=ko``, let matplotlib draw Hangul: NanumGothic after DejaVu Sans in the font
    list, so Latin text and the minus sign look as in English and Hangul falls back to Nanum.
    Returns True when the font is in use; warns once (English stays readable) when it is missing."""
    if language() != "ko":
        return False
    import matplotlib
    from matplotlib import font_manager

    path = hangul_font()
    if path is None:
        if "font" not in _warned:
            _warned.add("font")
            warnings.warn("no Hangul font: Korean figure text shows as empty boxes. "
                          "Fix: pip install koreanize-matplotlib==0.1.1", stacklevel=2)
        return False
    if "NanumGothic" not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    # An explicit list: matplotlib falls back glyph by glyph along font.family (not along a generic
    # family's list).
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
    return True
