#!/usr/bin/env python3
"""The benchmark's baseline: the plain PyYAML + Jinja2 script such pipelines usually are.

It reads the same catalog as steller and renders the same kinds of outputs (ERDDAP datasets.xml,
THREDDS catalogs, ioos_qc configs, Kubernetes CronJobs and ConfigMaps, CKAN package dicts, Argo CD
Applications), with no validation at all: no schema, no id or span checks, no located errors.
Its only purpose is to be timed against `steller build` (bench/run.ts).

    python3 bench/baseline/render.py --catalog DIR --out DIR [--libyaml]

--libyaml reads and writes YAML with PyYAML's C bindings (CSafeLoader, CSafeDumper); the default is
yaml.safe_load and yaml.safe_dump, pure Python, which is what most scripts call.
"""
import argparse
import glob
import json
import os
import re
import sys
import zlib

import jinja2
import yaml

ERDDAP_DATASET = """{% macro variable(tag, variable, with_type) %}
    <{{ tag }}>
        <sourceName>{{ variable.source_name or variable.name }}</sourceName>
        <destinationName>{{ variable.name }}</destinationName>
{% if with_type %}
        <dataType>{{ variable.type or "double" }}</dataType>
{% endif %}
        <addAttributes>
{% for name, value in (variable.attributes or {}) | dictsort %}
            <att name="{{ name }}">{{ value }}</att>
{% endfor %}
{% if variable.units %}
            <att name="units">{{ variable.units }}</att>
{% endif %}
        </addAttributes>
    </{{ tag }}>
{% endmacro %}
<dataset type="{{ type }}" datasetID="{{ dataset_id }}" active="true">
    <reloadEveryNMinutes>{{ options.reloadEveryNMinutes or 1440 }}</reloadEveryNMinutes>
{% for name, value in options | dictsort if name != "reloadEveryNMinutes" %}
    <{{ name }}>{{ value | lower if value is sameas true or value is sameas false else value }}</{{ name }}>
{% endfor %}
{% if not remote %}
    <addAttributes>
{% if type.startswith("EDDTableFrom") and type.endswith("Files") %}
        <att name="sourceUrl">(local files)</att>
{% endif %}
        <att name="summary">{{ dataset.summary or dataset.title }}</att>
        <att name="title">{{ dataset.title }}</att>
{% for name, value in attributes | dictsort %}
        <att name="{{ name }}"{% if value is number %} type="double"{% endif %}>{{ value }}</att>
{% endfor %}
    </addAttributes>
{% for axis in axes %}
{{ variable("axisVariable", axis, false) }}
{%- endfor %}
{% for data in data_variables %}
{{ variable("dataVariable", data, true) }}
{%- endfor %}
{% endif %}
</dataset>
"""

DATASETS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<erddapDatasets>
{% for name, value in settings | dictsort if value is string or value is number %}
<{{ name }}>{{ value }}</{{ name }}>
{% endfor %}
{% for fragment in fragments %}
{{ fragment | safe }}
{% endfor %}
</erddapDatasets>
"""

THREDDS_CATALOG = """<?xml version="1.0" encoding="UTF-8"?>
<catalog name="{{ name }}" version="1.2"
    xmlns="http://www.unidata.ucar.edu/namespaces/thredds/InvCatalog/v1.0"
    xmlns:xlink="http://www.w3.org/1999/xlink">
"""

THREDDS_ROOT = THREDDS_CATALOG + """    <service name="all" serviceType="Compound" base="">
{% for service in services %}
        <service name="{{ service.name }}" serviceType="{{ service.type }}" base="{{ service.base }}"/>
{% endfor %}
    </service>
{% for group in groups %}
    <catalogRef xlink:href="{{ group }}/catalog.xml" xlink:title="{{ group }}" name=""/>
{% endfor %}
</catalog>
"""

THREDDS_GROUP = THREDDS_CATALOG + """{% for entry in entries %}
{% if entry.fragment %}
{{ entry.fragment | safe }}
{% elif entry.options.featureCollection %}
{% set fc = entry.options.featureCollection %}
    <featureCollection name="{{ entry.dataset.title }}" featureType="{{ fc.featureType }}" path="{{ entry.path }}" ID="{{ entry.dataset_id }}">
        <collection{% for name, value in fc.collection | dictsort %} {{ name }}="{{ value }}"{% endfor %}/>
    </featureCollection>
{% elif entry.options.datasetScan %}
{% set scan = entry.options.datasetScan %}
    <datasetScan name="{{ entry.dataset.title }}" ID="{{ entry.dataset_id }}" path="{{ entry.path }}" location="{{ scan.location }}">
        <serviceName>all</serviceName>
{% if scan.filter %}
        <filter>
            <include regExp="{{ scan.filter.include }}"/>
        </filter>
{% endif %}
    </datasetScan>
{% else %}
    <dataset name="{{ entry.dataset.title }}" ID="{{ entry.dataset_id }}" urlPath="{{ entry.path }}">
        <serviceName>all</serviceName>
{% if entry.data_type %}
        <dataType>{{ entry.data_type }}</dataType>
{% endif %}
    </dataset>
{% endif %}
{% endfor %}
</catalog>
"""

CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ name }}
  namespace: {{ namespace }}
  labels:
    app.kubernetes.io/name: {{ name }}
    app.kubernetes.io/part-of: {{ project }}
    steller.io/dataset: "{{ dataset.id }}"
spec:
  schedule: "{{ schedule }}"
  timeZone: {{ time_zone }}
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: {{ job.starting_deadline_seconds or 300 }}
  successfulJobsHistoryLimit: {{ job.successful_jobs_history_limit or 3 }}
  failedJobsHistoryLimit: {{ job.failed_jobs_history_limit or 1 }}
  jobTemplate:
    spec:
      backoffLimit: {{ retry.max_retries or 3 }}
{% if job.active_deadline_seconds %}
      activeDeadlineSeconds: {{ job.active_deadline_seconds }}
{% endif %}
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: harvest
              image: {{ job.image or image }}
              args: ["harvest", "--dataset", "{{ dataset.id }}"]
              resources:
{% for kind, values in resources | dictsort %}
                {{ kind }}:
{% for name, value in values | dictsort %}
                  {{ name }}: "{{ value }}"
{% endfor %}
{% endfor %}
{% if dataset.secrets %}
              env:
{% for secret in dataset.secrets %}
                - name: {{ secret.env }}
                  valueFrom:
                    secretKeyRef:
                      name: {{ name }}
                      key: {{ secret.env }}
{% endfor %}
{% endif %}
{% if has_qc %}
              volumeMounts:
                - name: qc
                  mountPath: /etc/qc
          volumes:
            - name: qc
              configMap:
                name: {{ name }}-qc
{% endif %}
"""

CRON_FIELDS = [(0, 59), (0, 23), (1, 28), (1, 12), (0, 6)]


def load(path, loader):
    with open(path, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=loader)


def url_identity(url):
    return re.sub(r"^[a-z]+://", "", url.strip().lower()).rstrip("/")


def server_key(servers, ref):
    if ref in servers:
        return ref
    for key, server in servers.items():
        if url_identity(server["url"]) == url_identity(ref):
            return key
    return ref


def load_catalog(root, loader):
    project = load(os.path.join(root, "steller.yaml"), loader)
    defaults = project.get("defaults") or {}
    datasets = []
    for path in sorted(glob.glob(os.path.join(root, "datasets", "**", "*.y*ml"), recursive=True)):
        record = load(path, loader)
        record.setdefault("id", os.path.splitext(os.path.basename(path))[0])
        record["attributes"] = {**(defaults.get("attributes") or {}), **(record.get("attributes") or {})}
        record["retry"] = {**(defaults.get("retry") or {}), **(record.get("retry") or {})}
        record["_dir"] = os.path.dirname(os.path.relpath(path, root))
        record["_folder"] = record["_dir"].split(os.sep)[1] if os.sep in record["_dir"] else "datasets"
        datasets.append(record)
    return project, datasets


def erddap_id(text):
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return cleaned if re.match(r"[A-Za-z]", cleaned) else "d_" + cleaned


def expand_hashed(schedule, seed):
    fields = schedule.split()
    out = []
    for i, field in enumerate(fields):
        low, high = CRON_FIELDS[i]
        offset = zlib.crc32(f"{seed}:{i}".encode())
        if field == "H":
            field = str(low + offset % (high - low + 1))
        elif field.startswith("H/"):
            step = int(field[2:])
            field = f"{low + offset % step}-{high}/{step}"
        out.append(field)
    return " ".join(out)


def job_name(dataset_id):
    return re.sub(r"[^a-z0-9-]+", "-", dataset_id.lower()).strip("-")[:52].rstrip("-")


def write(out, path, text):
    target = os.path.join(out, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as stream:
        stream.write(text)


def render(root, out, loader, dumper):
    project, datasets = load_catalog(root, loader)

    def dump(value, **options):
        return yaml.dump(value, Dumper=dumper, sort_keys=False, **options)

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(root), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    templates = {name: env.from_string(text) for name, text in
                 [("erddap", ERDDAP_DATASET), ("datasets", DATASETS_XML), ("thredds_root", THREDDS_ROOT),
                  ("thredds_group", THREDDS_GROUP), ("cronjob", CRONJOB)]}
    servers = project.get("servers") or {}
    kubernetes = project.get("kubernetes") or {}
    namespace = kubernetes.get("namespace", "default")

    erddap = {key: [] for key in servers.get("erddap") or {}}
    thredds = {key: {} for key in servers.get("thredds") or {}}
    k8s_files = []
    for dataset in datasets:
        services = dataset.get("services") or {}
        variables = dataset.get("variables") or []
        for service in services.get("erddap") or []:
            key = server_key(servers.get("erddap") or {}, service["server"])
            server = servers["erddap"][key]
            dataset_id = service.get("dataset_id") or erddap_id(dataset["id"])
            context = {"dataset": dataset, "service": {**service, "dataset_id": dataset_id}, "server": server}
            if service.get("template_file"):
                template = env.get_template(os.path.normpath(os.path.join(dataset["_dir"], service["template_file"])).replace(os.sep, "/"))
                fragment = template.render(**context)
            else:
                kind = service.get("type") or ("griddap" if any(v.get("axis") for v in variables) else "tabledap")
                kind = {"tabledap": "EDDTableFromNcFiles", "griddap": "EDDGridFromNcFiles"}.get(kind, kind)
                options = dict(service.get("options") or {})
                if "fileDir" in options and not options["fileDir"].startswith("/"):
                    options["fileDir"] = f"{server.get('file_dir', '')}/{options['fileDir']}/"
                fragment = templates["erddap"].render(
                    type=kind, dataset_id=dataset_id, options=options, dataset=dataset,
                    remote=kind.endswith("FromErddap"),
                    attributes={**dataset["attributes"], **(service.get("attributes") or {})},
                    axes=[v for v in variables if v.get("axis")],
                    data_variables=[v for v in variables if not v.get("axis")])
            erddap[key].append((dataset_id, fragment))
        for service in services.get("thredds") or []:
            key = server_key(servers.get("thredds") or {}, service["server"])
            dataset_id = service.get("dataset_id") or dataset["id"]
            path = service.get("path") or f"{dataset['_folder']}/{dataset_id}"
            group = service.get("group") or path.split("/")[0]
            entry = {"dataset": dataset, "dataset_id": dataset_id, "path": path, "options": service.get("options") or {},
                     "data_type": service.get("data_type")}
            if service.get("template_file"):
                template = env.get_template(os.path.normpath(os.path.join(dataset["_dir"], service["template_file"])).replace(os.sep, "/"))
                entry["fragment"] = template.render(dataset=dataset, service={**service, "dataset_id": dataset_id, "path": path},
                                                    server=servers["thredds"][key])
            thredds[key].setdefault(group, []).append(entry)
        qc = (dataset.get("qc") or {}).get("qartod")
        if qc:
            qc_text = dump({"contexts": qc["contexts"]})
            write(out, f"qc/{dataset['id']}.yaml", qc_text)
        if dataset.get("schedule"):
            name = job_name(dataset["id"])
            job = {**(kubernetes or {}), **(dataset.get("kubernetes") or {})}
            text = templates["cronjob"].render(
                name=name, namespace=namespace, project=project["name"], dataset=dataset, job=job,
                image=kubernetes.get("image"), retry=dataset["retry"], has_qc=bool(qc),
                schedule=expand_hashed(dataset["schedule"], dataset["id"]),
                time_zone=dataset.get("time_zone") or kubernetes.get("time_zone", "UTC"),
                resources=job.get("resources") or {})
            write(out, f"k8s/{namespace}/cronjob-{name}.yaml", text)
            k8s_files.append(f"cronjob-{name}.yaml")
            if qc:
                config_map = {"apiVersion": "v1", "kind": "ConfigMap",
                              "metadata": {"name": f"{name}-qc", "namespace": namespace},
                              "data": {"qc.yaml": qc_text}}
                write(out, f"k8s/{namespace}/configmap-{name}-qc.yaml", dump(config_map))
                k8s_files.append(f"configmap-{name}-qc.yaml")
        for service in services.get("ckan") or []:
            key = server_key(servers.get("ckan") or {}, service["server"])
            ckan = servers["ckan"][key]
            name = service.get("name") or re.sub(r"[^a-z0-9_-]", "-", dataset["id"].lower())
            package = {
                "name": name, "title": dataset["title"], "notes": dataset.get("summary", ""),
                "owner_org": ckan.get("organization"), "license_id": ckan.get("license_id"),
                "tags": [{"name": keyword} for keyword in dataset.get("keywords") or []],
                "groups": [{"name": group} for group in service.get("groups") or []],
                "extras": [{"key": k, "value": v} for k, v in sorted((service.get("extras") or {}).items())],
                "resources": [{"name": f"ERDDAP {s['server']}", "url": s["server"]} for s in services.get("erddap") or []],
            }
            write(out, f"ckan/{key}/packages/{name}.json", json.dumps(package, indent=2, sort_keys=True) + "\n")

    for key, fragments in erddap.items():
        fragments.sort(key=lambda pair: pair[0])
        write(out, f"erddap/{key}/datasets.xml", templates["datasets"].render(
            settings=(servers["erddap"][key].get("settings") or {}), fragments=[f for _, f in fragments]))
    services = [{"name": "odap", "type": "OPeNDAP", "base": "/thredds/dodsC/"}, {"name": "http", "type": "HTTPServer", "base": "/thredds/fileServer/"},
                {"name": "wms", "type": "WMS", "base": "/thredds/wms/"}, {"name": "ncss", "type": "NetcdfSubset", "base": "/thredds/ncss/grid/"}]
    for key, groups in thredds.items():
        write(out, f"thredds/{key}/catalog.xml", templates["thredds_root"].render(name=project["name"], services=services, groups=sorted(groups)))
        for group, entries in groups.items():
            write(out, f"thredds/{key}/{group}/catalog.xml", templates["thredds_group"].render(name=group, entries=entries))
    write(out, f"k8s/{namespace}/kustomization.yaml", dump({"resources": sorted(k8s_files)}))
    argocd = project.get("argocd") or {}
    applications = [{"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": folder.replace("/", "-")},
                     "spec": {"project": argocd.get("project", "default"),
                              "source": {"repoURL": argocd.get("repo_url"), "path": folder, "targetRevision": argocd.get("target_revision", "main")},
                              "destination": {"server": "https://kubernetes.default.svc", "namespace": namespace}}}
                    for folder in [f"k8s/{namespace}"] + [f"erddap/{k}" for k in erddap] + [f"thredds/{k}" for k in thredds]]
    write(out, "argocd/applications.yaml", yaml.dump_all(applications, Dumper=dumper, sort_keys=False))
    return len(datasets)


def write_usage(path):
    """Own CPU time and peak RSS, for machines without /usr/bin/time (see bench/measure.ts)."""
    import resource
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(path, "w", encoding="utf-8") as stream:
        json.dump({"userSeconds": usage.ru_utime, "systemSeconds": usage.ru_stime, "maxRssKiB": usage.ru_maxrss}, stream)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--libyaml", action="store_true", help="use PyYAML's C loader and dumper (libyaml)")
    args = parser.parse_args()
    loader, dumper = (yaml.CSafeLoader, yaml.CSafeDumper) if args.libyaml else (yaml.SafeLoader, yaml.SafeDumper)
    count = render(args.catalog, args.out, loader, dumper)
    print(f"rendered {count} datasets into {args.out}", file=sys.stderr)
    if os.environ.get("STELLER_BENCH_USAGE_FILE"):
        write_usage(os.environ["STELLER_BENCH_USAGE_FILE"])


if __name__ == "__main__":
    main()
