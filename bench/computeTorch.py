"""PyTorch peer for `npm run bench:compute`: the same nets (resnet-mini on 28x28x1, resnet20 on 32x32x3), the
same batch and training step (forward, mean softmax cross-entropy, backward, SGD with momentum), on the CPU with
a given number of threads. Prints one JSON line with the step times (wall and process CPU time).
Usage: /usr/bin/python3 bench/computeTorch.py '{"model":"resnet-mini","batch":128,"threads":1,"warmup":2,"steps":7}'
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        self.proj = None
        if stride != 1 or cin != cout:
            self.proj = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return F.relu(y + (self.proj(x) if self.proj is not None else x))


class ResNet(nn.Module):
    def __init__(self, cin, stem, stages):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(cin, stem, 3, 1, 1, bias=False), nn.BatchNorm2d(stem), nn.ReLU())
        blocks, c = [], stem
        for cout, stride, n in stages:
            for i in range(n):
                blocks.append(Block(c, cout, stride if i == 0 else 1))
                c = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(c, 10)

    def forward(self, x):
        return self.fc(self.blocks(self.stem(x)).mean((2, 3)))


def build(name):
    if name == 'resnet-mini':
        return ResNet(1, 32, [(32, 1, 1), (64, 2, 1), (128, 2, 1)]), (1, 28, 28)
    if name == 'resnet20':
        return ResNet(3, 16, [(16, 1, 3), (32, 2, 3), (64, 2, 3)]), (3, 32, 32)
    raise SystemExit(f'unknown model {name}')


def main():
    spec = json.loads(sys.argv[1])
    torch.set_num_threads(spec['threads'])
    torch.manual_seed(1)
    model, shape = build(spec['model'])
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(spec['batch'], *shape)
    y = torch.randint(0, 10, (spec['batch'],))

    cpu_ms = []

    def step():
        t0 = time.perf_counter()
        c0 = time.process_time()
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
        cpu_ms.append((time.process_time() - c0) * 1000)
        return (time.perf_counter() - t0) * 1000

    for _ in range(spec['warmup']):
        step()
    cpu_ms.clear()
    times = [step() for _ in range(spec['steps'])]
    print(json.dumps({'spec': spec, 'stepMs': times, 'stepCpuMs': cpu_ms, 'torch': torch.__version__,
                      'threads': torch.get_num_threads()}))


main()
