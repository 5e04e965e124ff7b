(function(){
  /* The review page: corrections on the rows of a report, kept in this browser's local
     storage (a reload loses nothing) and saved as review.jsonl for `align apply`. Every row
     is a bead: a pair, a candidate left out, or one unaligned sentence; its sentences are
     the spans of its cells. A correction is applied to the page and logged; on load the
     log is replayed on the page as written. */
  if(!document.querySelector('table.rows.editable')) return;
  var KEY='align-review|'+(document.body.dataset.signature||'')+'|'+location.pathname.replace(/\/report\/[^\/]*$|\/[^\/]*$/,'');
  var log=[], current=null;
  var bar=document.getElementById('review-bar'); bar.classList.remove('hidden');
  [].forEach.call(document.querySelectorAll('.act-head'),function(th){th.classList.remove('hidden');});

  function load(){try{var v=JSON.parse(localStorage.getItem(KEY)||'[]');return Array.isArray(v)?v:[];}catch(e){return [];}}
  function store(){try{localStorage.setItem(KEY,JSON.stringify(log));}catch(e){}count();}
  function count(){document.getElementById('review-count').textContent=log.length+(log.length===1?' correction':' corrections');}
  function say(msg){document.getElementById('review-status').textContent=msg;}

  function isZh(sid){return /#zh\d+$/.test(sid);}
  function index(sid){var m=/(\d+)$/.exec(sid);return m?parseInt(m[1],10):0;}
  function side(tr,lang){return [].slice.call(tr.querySelectorAll('td.'+lang+' span.s'));}
  function ids(spans){return spans.map(function(s){return s.dataset.sid;});}
  function text(spans,lang){return spans.map(function(s){return s.textContent;}).join(lang==='zh'?'':' ');}
  function edited(tr,lang){var e=tr.querySelector('td.'+lang+' .edited');return e?e.textContent:null;}
  function isEdited(tr){return edited(tr,'zh')!==null||edited(tr,'en')!==null;}
  function bead(tr){
    var zh=side(tr,'zh'), en=side(tr,'en'), ez=edited(tr,'zh'), ee=edited(tr,'en');
    return {zh_ids:ids(zh),en_ids:ids(en),zh:ez!==null?ez:text(zh,'zh'),en:ee!==null?ee:text(en,'en')};
  }
  function keyOf(b){return b.zh_ids.join('|')+'||'+b.en_ids.join('|');}
  function editable(tr){
    if(!tr||!tr.closest('table.rows.editable')) return false;
    var spans=side(tr,'zh').concat(side(tr,'en'));
    return spans.length>0&&spans.every(function(s){return s.dataset.sid;});
  }
  function rowsOf(tbody){return [].slice.call(tbody.rows).filter(editable);}
  function find(ref){
    /* the row of a bead: the row of its first sentence, when that row holds exactly its sentences */
    var first=(ref.zh_ids||[]).concat(ref.en_ids||[])[0]; if(!first) return null;
    var span=document.querySelector('table.rows.editable span.s[data-sid="'+CSS.escape(first)+'"]');
    var tr=span&&span.closest('tr');
    return tr&&editable(tr)&&keyOf(bead(tr))===keyOf(ref)?tr:null;
  }
  function neighbour(tr,step){
    var all=rowsOf(tr.parentNode), i=all.indexOf(tr)+step;
    return i>=0&&i<all.length?all[i]:null;
  }
  function docOf(sid){return sid.slice(0,sid.lastIndexOf('#'));}
  function byIndex(spans){return spans.slice().sort(function(a,b){var x=a.dataset.sid,y=b.dataset.sid,dx=docOf(x),dy=docOf(y);
    return dx<dy?-1:dx>dy?1:index(x)-index(y);});}

  function cell(tr,cls,html){var td=document.createElement('td');td.className=cls;if(html)td.innerHTML=html;tr.appendChild(td);return td;}
  function fill(td,spans,lang){spans.forEach(function(s,n){if(lang==='en'&&n)td.appendChild(document.createTextNode(' '));s.classList.remove('sel');td.appendChild(s);});}
  function makeRow(zh,en,doc,pos){
    var tr=document.createElement('tr'), pair=zh.length&&en.length;
    tr.className=pair?'pair reviewed':'unaligned by-reviewer';
    tr.dataset.kind=pair?'pair':'unaligned'; tr.dataset.doc=doc; tr.dataset.pos=pos;
    tr.dataset.quality=pair?'1':''; tr.dataset.suspect=pair?'0':'-1'; tr.dataset.rule='';
    tr.dataset.id=pair?'':ids(zh.concat(en))[0]; tr.dataset.shape=zh.length+'-'+en.length;
    cell(tr,'q num',pair?'<span style="background:hsl(120,70%,45%)">1.000</span>':'—');
    fill(cell(tr,'zh'),zh,'zh'); fill(cell(tr,'en'),en,'en');
    cell(tr,'small').textContent=pair?zh.length+'-'+en.length+' reviewed':(zh.length?'zh':'en');
    cell(tr,pair?'rule':'small').textContent=pair?'':'rejected_by_reviewer';
    cell(tr,'act'); return tr;
  }
  function beadRows(zh,en,doc,pos){
    if(zh.length&&en.length) return [makeRow(zh,en,doc,pos)];
    return zh.concat(en).map(function(s,n){return isZh(s.dataset.sid)?makeRow([s],[],doc,pos+n*1e-3):makeRow([],[s],doc,pos+n*1e-3);});
  }
  function replaceRows(old,rows){
    var anchor=old[0];
    rows.forEach(function(r){anchor.parentNode.insertBefore(r,anchor);decorate(r);});
    old.forEach(function(o){if(rows.indexOf(o)<0)o.remove();});
    focus(rows[0]||null);
    document.dispatchEvent(new Event('align:rows'));
  }
  function markAccepted(tr){
    tr.className='pair reviewed'; tr.dataset.kind='pair'; tr.dataset.quality='1';
    tr.cells[0].innerHTML='<span style="background:hsl(120,70%,45%)">1.000</span>';
  }
  function showEdited(tr,zh,en){
    [['zh',zh],['en',en]].forEach(function(p){
      if(p[1]===undefined||p[1]===null) return;
      var td=tr.querySelector('td.'+p[0]); side(tr,p[0]).forEach(function(s){s.classList.add('hidden');});
      var old=td.querySelector('.edited'); if(old) old.remove();
      var div=document.createElement('div'); div.className='edited'; div.textContent=p[1]; td.appendChild(div);
    });
    markAccepted(tr);
  }

  /* Apply one correction (a review.jsonl line) to the page; false when its beads are not here. */
  function perform(line){
    var rows=line.beads.map(find);
    if(rows.some(function(r){return !r;})) return false;
    var tr=rows[0], doc=tr.dataset.doc, pos=parseFloat(tr.dataset.pos);
    var zh=side(tr,'zh'), en=side(tr,'en');
    if(line.action==='accept') markAccepted(tr);
    else if(line.action==='edit') showEdited(tr,line.zh,line.en);
    else if(line.action==='reject') replaceRows([tr],beadRows(zh,[],doc,pos).concat(beadRows([],en,doc,pos+0.5)));
    else if(line.action==='merge'){
      var other=rows[1];
      replaceRows(rows,beadRows(byIndex(zh.concat(side(other,'zh'))),byIndex(en.concat(side(other,'en'))),doc,Math.min(pos,parseFloat(other.dataset.pos))));
    } else if(line.action==='split'){
      var a=beadRows(zh.slice(0,line.zh_count),en.slice(0,line.en_count),doc,pos);
      replaceRows([tr],a.concat(beadRows(zh.slice(line.zh_count),en.slice(line.en_count),doc,pos+0.5)));
    } else if(line.action==='move'){
      var target=rows[1], s=zh.concat(en).filter(function(x){return x.dataset.sid===line.sentence;})[0];
      var lang=isZh(line.sentence)?'zh':'en', up=parseFloat(target.dataset.pos)<pos;
      var rest={zh:zh.filter(function(x){return x!==s;}),en:en.filter(function(x){return x!==s;})};
      var into={zh:side(target,'zh'),en:side(target,'en')}; into[lang]=byIndex(into[lang].concat([s]));
      var tpos=parseFloat(target.dataset.pos), src=beadRows(rest.zh,rest.en,doc,pos), dst=beadRows(into.zh,into.en,doc,tpos);
      replaceRows(up?[target,tr]:[tr,target],up?dst.concat(src):src.concat(dst));
    }
    return true;
  }
  function record(line){if(perform(line)){log.push(line);store();return true;}return false;}

  function inDocumentOrder(tr){
    var table=tr.closest('table');
    if(!table.dataset.order||table.dataset.order==='document') return true;
    var select=document.querySelector('#filters select[name=order]'); select.value='document';
    select.dispatchEvent(new Event('change',{bubbles:true})); tr.scrollIntoView({block:'center'});
    say('back in document order: neighbours are the rows above and below in the documents. Press the key again.');
    return false;
  }
  function selected(tr,lang){return side(tr,lang).filter(function(s){return s.classList.contains('sel');})[0];}
  var ACTIONS={
    accept:function(tr){var b=bead(tr);if(!b.zh_ids.length||!b.en_ids.length)return 'accept needs sentences of both languages: merge the row first';
      return {action:'accept',beads:[b]};},
    reject:function(tr){if(tr.dataset.kind==='unaligned')return 'this sentence is already left out';return {action:'reject',beads:[bead(tr)]};},
    merge:function(tr){if(!inDocumentOrder(tr))return '';var next=neighbour(tr,1);if(!next)return 'no row below to merge with';
      if(isEdited(tr)||isEdited(next))return 'an edited row cannot be merged';return {action:'merge',beads:[bead(tr),bead(next)]};},
    split:function(tr){
      if(isEdited(tr))return 'an edited row cannot be split';
      var zh=side(tr,'zh'), en=side(tr,'en'), sz=selected(tr,'zh'), se=selected(tr,'en');
      var k=sz?zh.indexOf(sz)+1:Math.min(1,zh.length), m=se?en.indexOf(se)+1:Math.min(1,en.length);
      if((k===0&&m===0)||(k===zh.length&&m===en.length))return 'nothing to split: click the last sentence of the first part on each side';
      return {action:'split',beads:[bead(tr)],zh_count:k,en_count:m};},
    up:function(tr){return move(tr,-1);}, down:function(tr){return move(tr,1);}
  };
  function move(tr,step){
    if(!inDocumentOrder(tr))return '';
    var s=selected(tr,'zh')||selected(tr,'en'); if(!s)return 'click a sentence first, then [ or ]';
    var lang=isZh(s.dataset.sid)?'zh':'en', mine=side(tr,lang), target=neighbour(tr,step);
    if(!target)return 'no row '+(step<0?'above':'below');
    if(s!==(step<0?mine[0]:mine[mine.length-1]))return step<0?'only the first sentence of a side moves up':'only the last sentence of a side moves down';
    if(isEdited(tr)||isEdited(target))return 'a sentence cannot move into or out of an edited row';
    return {action:'move',beads:[bead(tr),bead(target)],sentence:s.dataset.sid};
  }
  function run(name,tr){
    tr=tr||current; if(!editable(tr)){say('choose a row first (click it, or j/k)');return;}
    var line=ACTIONS[name](tr);
    if(typeof line==='string'){if(line)say(line);return;}
    if(record(line)) say(line.action+' saved ('+log.length+' in this review)');
  }
  function edit(tr){
    tr=tr||current; if(!editable(tr)||tr.dataset.kind==='unaligned'){say('edit a pair: choose its row first');return;}
    if(tr.querySelector('textarea')) return;
    var before=bead(tr), boxes={}, shown=[].slice.call(tr.querySelectorAll('td.zh > :not(.hidden), td.en > :not(.hidden)'));
    shown.forEach(function(el){el.classList.add('hidden');});
    ['zh','en'].forEach(function(lang){var td=tr.querySelector('td.'+lang), box=document.createElement('textarea');
      box.className='edit-'+lang; box.value=before[lang]; td.appendChild(box); boxes[lang]=box;});
    var save=document.createElement('button'); save.type='button'; save.textContent='save'; save.className='edit-save';
    tr.querySelector('td.act').appendChild(save);
    function close(){boxes.zh.remove();boxes.en.remove();save.remove();shown.forEach(function(el){el.classList.remove('hidden');});}
    function commit(){
      var line={action:'edit',beads:[before]}, zh=boxes.zh.value.trim(), en=boxes.en.value.trim();
      close(); if(!zh||!en){say('a side cannot be empty: reject the pair instead');return;}
      if(zh!==before.zh) line.zh=zh; if(en!==before.en) line.en=en;
      if(line.zh===undefined&&line.en===undefined){say('nothing changed');return;}
      if(record(line)) say('edit saved ('+log.length+' in this review)');
    }
    save.addEventListener('click',commit);
    [boxes.zh,boxes.en].forEach(function(box){box.addEventListener('keydown',function(e){
      if(e.key==='Enter'&&(e.ctrlKey||e.metaKey)){e.preventDefault();commit();}
      if(e.key==='Escape'){close();say('edit cancelled');}});});
    boxes.zh.focus();
  }

  function focus(tr){if(current)current.classList.remove('current');current=tr;if(tr){tr.classList.add('current');}}
  var LABELS=[['accept','✓','accept (a)'],['reject','✗','reject (r)'],['merge','⤓','merge with the row below (m)'],['split','✂','split (s)'],['edit','✎','edit (e)']];
  function decorate(tr){
    if(!editable(tr)) return;
    var td=tr.querySelector('td.act'); if(!td) return; td.innerHTML='';
    LABELS.filter(function(l){return tr.dataset.kind!=='unaligned'||l[0]==='merge';}).forEach(function(l){var b=document.createElement('button');b.type='button';b.textContent=l[1];b.title=l[2];
      b.className='do-'+l[0];b.addEventListener('click',function(e){e.stopPropagation();focus(tr);l[0]==='edit'?edit(tr):run(l[0],tr);});td.appendChild(b);});
  }
  document.addEventListener('click',function(e){
    var tr=e.target.closest&&e.target.closest('table.rows.editable tr[data-kind]'); if(!tr||!editable(tr)) return;
    if(e.target.tagName==='TEXTAREA'||e.target.tagName==='BUTTON') return;
    focus(tr);
    var s=e.target.closest('span.s');
    if(s){var lang=s.closest('td').classList.contains('zh')?'zh':'en', was=s.classList.contains('sel');
      side(tr,lang).forEach(function(x){x.classList.remove('sel');}); if(!was)s.classList.add('sel');}
  });
  var KEYS={a:'accept',r:'reject',m:'merge',s:'split','[':'up',']':'down'};
  document.addEventListener('keydown',function(e){
    var t=e.target.tagName; if(t==='INPUT'||t==='TEXTAREA'||t==='SELECT'||e.ctrlKey||e.metaKey||e.altKey) return;
    if(e.key==='j'||e.key==='k'){
      var all=[].slice.call(document.querySelectorAll('table.rows.editable tr[data-kind]')).filter(function(r){return editable(r)&&!r.classList.contains('hidden');});
      var i=all.indexOf(current), next=all[Math.max(0,Math.min(all.length-1,i+(e.key==='j'?1:-1)))];
      if(next){focus(next);next.scrollIntoView({block:'nearest'});} e.preventDefault(); return;
    }
    if(e.key==='e'){e.preventDefault();edit();return;}
    if(e.key==='u'){undo();return;}
    if(KEYS[e.key]){e.preventDefault();run(KEYS[e.key]);}
  });
  function download(){
    var body=log.map(function(l){return JSON.stringify(l);}).join('\n')+(log.length?'\n':'');
    var a=document.createElement('a'); a.href=URL.createObjectURL(new Blob([body],{type:'application/x-ndjson'}));
    a.download='review.jsonl'; document.body.appendChild(a); a.click(); a.remove();
    say('review.jsonl saved with '+log.length+' corrections: align apply OUTDIR review.jsonl -o NEWDIR');
  }
  function undo(){if(!log.length){say('nothing to undo');return;}log.pop();store();location.reload();}
  document.getElementById('review-download').addEventListener('click',download);
  document.getElementById('review-undo').addEventListener('click',undo);
  document.getElementById('review-clear').addEventListener('click',function(){
    if(!log.length||confirm('Forget the '+log.length+' corrections of this report?')){log=[];store();location.reload();}});

  [].forEach.call(document.querySelectorAll('table.rows.editable tr[data-kind]'),decorate);
  var saved=load(), missing=0;
  saved.forEach(function(line){if(perform(line))log.push(line);else{log.push(line);missing++;}});
  count();
  if(saved.length) say(saved.length+' corrections restored from this browser'+(missing?' ('+missing+' on other pages of this report)':''));
})();
