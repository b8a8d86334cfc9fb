"""The method: VGG19's layers and weights, features, losses, the bases, the optimisers and
their loop (engine), the arguments and recipes, the precision and size choices that time
real loss evaluations, and ``tasks`` (transfer and the two reconstructions: the three
things the notebooks do)."""
