"""merge the 50% export with CHECKOUT's code into a copy kept at OUT"""
import sys, shutil, os, tempfile
sys.path.insert(0, sys.argv[1] + "/src")
os.environ["PMQA_DATA_DIR"] = tempfile.mkdtemp(prefix="ord-data-", dir="/tmp/hist8-work/run")
from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage.store import Actor, Store
B = "/tmp/bench/merge-large-real-2704d3c6c3d7/"
shutil.copyfile(B + "office_b.db", sys.argv[2])
s = Store.open(sys.argv[2], Actor("สำนักงานเกษตรจังหวัด", "clerk"))
merge(s, B + "office_a_50pct_export.db", backup=False)
s.close()
shutil.rmtree(os.environ["PMQA_DATA_DIR"], ignore_errors=True)
