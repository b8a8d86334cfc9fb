"""The machine: TensorFlow's quiet import, the CPU, settings from the environment, atomic
files, downloads and deadlines. Imports nothing from the other layers."""
