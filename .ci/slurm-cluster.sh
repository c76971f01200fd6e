#!/usr/bin/env bash
# Brings up a two-node Slurm cluster on this machine, for procpool's Slurm tests: munge, slurmctld, and two
# slurmd's (n1 and n2, ports 17001 and 17002) from Debian's packages, as root, without systemd. Idempotent:
# what already runs is left alone. Waits until both nodes are idle, at most a minute.
# Usage: sudo .ci/slurm-cluster.sh [up|down]
set -euo pipefail

action="${1:-up}"
conf=/etc/slurm/slurm.conf

if [[ "$(id -u)" != 0 ]]; then
  echo "slurm-cluster: run as root (it installs packages and starts daemons)" >&2
  exit 2
fi

down() {
  pkill -x slurmd 2>/dev/null || true
  pkill -x slurmctld 2>/dev/null || true
  pkill -x munged 2>/dev/null || true
}

if [[ "$action" == down ]]; then
  down
  exit 0
fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v srun >/dev/null \
    || ! command -v munged >/dev/null; then
  echo "slurm-cluster: installing munge and Slurm from Debian's packages..." >&2
  # Keep the packages' own service scripts from starting daemons of their own.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge /var/lib/munge /var/log/munge
cat > "$conf" <<CONF
ClusterName=procpool
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
KillWait=5
InactiveLimit=30
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd-%n.pid
SlurmdSpoolDir=/var/spool/slurmd/%n
StateSaveLocation=/var/spool/slurmctld
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd-%n.log
NodeName=n1 NodeHostname=localhost NodeAddr=127.0.0.1 Port=17001 CPUs=4 State=UNKNOWN
NodeName=n2 NodeHostname=localhost NodeAddr=127.0.0.1 Port=17002 CPUs=4 State=UNKNOWN
PartitionName=debug Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP
CONF

if [[ ! -s /etc/munge/munge.key ]]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
chmod 400 /etc/munge/munge.key
if ! pgrep -x munged >/dev/null; then
  munged --force
fi
if ! pgrep -x slurmctld >/dev/null; then
  slurmctld -i
fi
for node in n1 n2; do
  mkdir -p "/var/spool/slurmd/$node"
  if ! pgrep -f "slurmd -N $node" >/dev/null; then
    slurmd -N "$node"
  fi
done

for _ in $(seq 1 60); do
  if [[ "$(sinfo -h -N -o '%N %T' 2>/dev/null | grep -c -E ' idle$')" == 2 ]]; then
    echo "slurm-cluster: nodes n1 and n2 are idle" >&2
    exit 0
  fi
  sleep 1
done
echo "slurm-cluster: the nodes did not become idle within 60 s:" >&2
sinfo -N 2>&1 | sed 's/^/  /' >&2 || true
tail -n 20 /var/log/slurm/slurmctld.log 2>/dev/null | sed 's/^/  /' >&2 || true
exit 1
