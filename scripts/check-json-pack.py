#!/usr/bin/env python3
"""check-json-pack.py FILE... — every json_pack() call's format names as
many values as the call passes.  jansson cannot check this at compile time:
a format one short answers NULL (an array append then silently drops the
item), one long reads past the arguments.  Run by `make check`."""
import re, sys
bad = 0
def split_args(s):
    out=[];depth=0;cur='';instr=False;esc=False
    for ch in s:
        if instr:
            cur+=ch
            if esc: esc=False
            elif ch=='\\': esc=True
            elif ch=='"': instr=False
            continue
        if ch=='"': instr=True; cur+=ch; continue
        if ch in '([{': depth+=1
        if ch in ')]}':
            if depth==0: out.append(cur); return out
            depth-=1
        if ch==',' and depth==0: out.append(cur); cur=''; continue
        cur+=ch
    return out
def count(fmt):
    n=0;i=0
    while i<len(fmt):
        c=fmt[i]
        if c in 'sbiIfFoOn':
            if c!='n': n+=1
            if c=='s' and i+1<len(fmt) and fmt[i+1] in '#%':
                n+=1
            i+=1
            while i<len(fmt) and fmt[i] in '?*#%': i+=1
            continue
        i+=1
    return n
for f in sys.argv[1:]:
    src=open(f).read()
    for m in re.finditer(r'json_pack\(',src):
        args=split_args(src[m.end():])
        fmt=''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', args[0]))
        want=count(fmt); got=len(args)-1
        if want!=got:
            line=src[:m.start()].count('\n')+1
            print(f"{f}:{line}: json_pack format {fmt!r} takes {want} values, the call passes {got}")
            bad += 1
sys.exit(1 if bad else 0)
