"""The metrics bench/run knows: names, units, targets, and the group of
measurements that produces each one."""

# name: (unit, group, target ratio or None, what it is)
METRICS = {
    "rpc_getlibversion_us": ("us", "rpc", 0.5, "getLibVersion, python3-libvirt, pinned"),
    "rpc_getlibversion_daemon_cpu_us": ("us", "rpc", 0.5, "daemon CPU per getLibVersion"),
    "rpc_lookup_info_us": ("us", "rpc", 0.5, "lookupByName+info, python3-libvirt, pinned"),
    "rpc_lookup_info_daemon_cpu_us": ("us", "rpc", 0.5, "daemon CPU per lookup+info"),
    "c_rpc_getlibversion_us": ("us", "crpc", 0.5, "getLibVersion, C client, pinned"),
    "c_rpc_getlibversion_daemon_cpu_us": ("us", "crpc", 0.5, "daemon CPU per C getLibVersion"),
    "define_1000_ms": ("ms", "define", 0.5, "define 1000 domains, pinned"),
    "define_1000_daemon_cpu_ms": ("ms", "define", 0.5, "daemon CPU for the 1000 defines"),
    "list_all_1000_ms": ("ms", "define", 0.3, "listAllDomains with 1000 domains, C client"),
    "list_all_1000_daemon_cpu_ms": ("ms", "define", 0.3, "daemon CPU for that call"),
    "list_all_1000_client_cpu_ms": ("ms", "define", None,
                                    "the C client's own CPU per call: the same code on both"
                                    " sides, a floor under the wall figure"),
    "list_all_1000_py_ms": ("ms", "define", None, "the same call from python3-libvirt"),
    "list_all_1000_py_daemon_cpu_ms": ("ms", "define", None, "daemon CPU for the Python call"),
    "xmldesc_1000_ms": ("ms", "define", None, "XMLDesc of 1000 domains"),
    "xmldesc_1000_daemon_cpu_ms": ("ms", "define", None, "daemon CPU for the 1000 XMLDesc"),
    "undefine_1000_ms": ("ms", "define", None, "undefine 1000 domains"),
    "undefine_1000_daemon_cpu_ms": ("ms", "define", None, "daemon CPU for the 1000 undefines"),
    "rss_1000_kib": ("KiB", "define", None, "daemon VmRSS, fresh daemon + 1000 domains"),
    "concurrent_64_us_per_call": ("us", "concurrent", 0.5, "64 C processes, wall per call"),
    "concurrent_64_daemon_cpu_us": ("us", "concurrent", 0.5, "daemon CPU per call, 64 processes"),
    "concurrent_64_py_us_per_call": ("us", "concurrent", None,
                                     "64 python3-libvirt processes, wall per call"),
    "concurrent_64_py_daemon_cpu_us": ("us", "concurrent", None,
                                       "daemon CPU per call, 64 Python processes"),
    "event_fanout_100_ms": ("ms", "events", None, "define -> 100 connections got the event"),
    "event_fanout_100_daemon_cpu_ms": ("ms", "events", None,
                                       "daemon CPU for one fan-out (schedstat)"),
    "proxy_hop_ratio": ("ratio", "hop", 1.05, "via vireo-proxyd / direct (C client, pinned)"),
    "proxy_hop_cpu_ratio": ("ratio", "hop", 1.05, "same, daemons' CPU per call (proxy + target)"),
    "cold_start_ms": ("ms", "cold", 0.1, "exec -> first answered getLibVersion"),
    "cold_start_daemon_cpu_ms": ("ms", "cold", None, "daemon threads' CPU until then (schedstat)"),
    "rss_idle_kib": ("KiB", "cold", 0.5, "daemon VmRSS 1 s after start"),
    "start_to_running_ms": ("ms", "qemu", None, "tiny TCG guest: create() -> RUNNING"),
    "raw_qemu_qmp_ready_ms": ("ms", "qemu", None, "QEMU by hand -> QMP query-status (floor)"),
}

# Groups in the order they run; "cold" starts its own daemons.
GROUPS = ["define", "rpc", "crpc", "events", "concurrent", "hop", "qemu", "cold"]

# start_to_running is held against the raw QEMU floor, not against libvirtd.
START_VS_RAW_TARGET = 1.2


def groups_for(names):
    wanted = {METRICS[n][1] for n in names}
    return [g for g in GROUPS if g in wanted]
