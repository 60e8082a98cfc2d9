#!/usr/bin/env python3
"""CPU seconds used on this machine between two lines of a benchmark's log, by process kind and by JVM thread.

usage: bench/cpu-by-process.py LOG START_TEXT END_TEXT
Waits until LOG contains START_TEXT, samples /proc every 0.2 s until it contains END_TEXT, then prints the machine's
busy CPU seconds (/proc/stat, exact), each process kind's (PostgreSQL processes by their title: backend,
walsender, tablesync worker, ...), and the JVM's threads by name (JIT compilers, GC, application threads). A process
or thread that lives less than a sample is missed by the kinds; the postmasters' reaped children (cutime) count
every ended child. Run it in the background beside e.g. bench/run-rebalance.sh with its log as LOG.
"""
import os
import re
import sys
import time

TICK = os.sysconf('SC_CLK_TCK')


def kind(pid):
    try:
        command = open(f'/proc/{pid}/cmdline', 'rb').read().replace(b'\0', b' ').decode(errors='replace').strip()
    except OSError:
        return '?'
    if command.startswith('postgres:'):
        title = command[len('postgres:'):].strip()
        if 'walsender' in title:
            return 'pg walsender'
        for worker in ('logical replication apply', 'logical replication tablesync', 'logical replication'):
            if title.startswith(worker):
                return 'pg ' + worker + ' worker'
        if re.search(r'\d+\.\d+\.\d+\.\d+\(\d+\)', title) or ' local' in title:
            return 'pg backend'
        return 'pg ' + ' '.join(title.split()[:2])
    words = command.split()
    if not words:
        return '?'
    if words[0].endswith('/postgres'):
        return 'pg postmaster'
    return 'java' if 'java' in words[0] else os.path.basename(words[0])


def stat_fields(path):
    text = open(path).read()
    return text[text.index('(') + 1:text.rindex(')')], text.rsplit(')', 1)[1].split()


def processes():
    found = {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            _, fields = stat_fields(f'/proc/{pid}/stat')
        except (OSError, ValueError):
            continue
        found[(pid, fields[19])] = (int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]))
    return found


def java_threads(pids):
    found = {}
    for pid in pids:
        try:
            tasks = os.listdir(f'/proc/{pid}/task')
        except OSError:
            continue
        for task in tasks:
            try:
                name, fields = stat_fields(f'/proc/{pid}/task/{task}/stat')
            except (OSError, ValueError):
                continue
            found[(pid, task)] = (re.sub(r'\d+', '#', name), int(fields[11]) + int(fields[12]))
    return found


def machine():
    values = list(map(int, open('/proc/stat').readline().split()[1:9]))
    return sum(values) - values[3] - values[4], sum(values)


def logged(text, log):
    try:
        return text in open(log, errors='replace').read()
    except OSError:
        return False


def main(log, start, end):
    while not logged(start, log):
        time.sleep(0.05)
    began, machine_before, own_before = time.time(), machine(), os.times()
    before, kinds, last = processes(), {}, {}
    java = [pid for (pid, _), _ in before.items() if kind(pid) == 'java']
    threads_before, threads_last = java_threads(java), {}
    while True:
        for key, value in processes().items():
            kinds.setdefault(key, kind(key[0]))
            last[key] = value
        threads_last.update(java_threads(java))
        if logged(end, log):
            break
        time.sleep(0.2)
    busy, total = (after - first for after, first in zip(machine(), machine_before))
    own = sum(os.times()[:2]) - sum(own_before[:2])
    by_kind, reaped = {}, 0.0
    for key, (cpu, children) in last.items():
        cpu_before, children_before = before.get(key, (0, 0))
        by_kind[kinds[key]] = by_kind.get(kinds[key], 0) + (cpu - cpu_before) / TICK
        if kinds[key] == 'pg postmaster':
            reaped += (children - children_before) / TICK
    print(f'{time.time() - began:.1f} s; machine busy {busy / TICK:.1f} CPU-s of {total / TICK:.1f} ({100 * busy / total:.0f} %); '
          f'postmasters\' ended children {reaped:.1f} CPU-s; this sampler {own:.1f} CPU-s')
    for name, seconds in sorted(by_kind.items(), key=lambda item: -item[1])[:12]:
        print(f'{seconds:8.1f} CPU-s  {name}')
    by_thread = {}
    for key, (name, cpu) in threads_last.items():
        by_thread[name] = by_thread.get(name, 0) + (cpu - threads_before.get(key, (name, 0))[1]) / TICK
    print('threads of the JVMs running at the start:' if java else 'no JVM was running at the start')
    for name, seconds in sorted(by_thread.items(), key=lambda item: -item[1])[:8]:
        print(f'{seconds:8.1f} CPU-s  {name}')


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
